import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { openDatabase } from "@sextant/core/embedded";
import { saveEvaluationSet } from "@sextant/core/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const bin = join(import.meta.dirname, "..", "..", "bin", "sextant.js");
let dir: string;

const sextant = (...args: string[]) =>
  run(process.execPath, [bin, ...args, "--data-dir", join(dir, "data")], {
    cwd: dir,
    env: { ...process.env, DATABASE_URL: "" },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sextant-cli-store-"));
  mkdirSync(join(dir, "docs"));
  writeFileSync(
    join(dir, "docs", "canals.txt"),
    "The Erie canal opened trade between the lakes and the sea.",
  );
  writeFileSync(
    join(dir, "docs", "tariff.md"),
    "# Tariff\n\nThe tariff on wool was reduced to lower prices.",
  );
  writeFileSync(join(dir, "queries.txt"), "canal trade\n\nwool tariff\n");
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sextant ingest, search and stats (embedded PGlite in --data-dir)", () => {
  it("ingests a folder and prints a summary; again, it writes nothing", async () => {
    const first = await sextant("ingest", join(dir, "docs"), "--json");
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      added: 2,
      unchanged: 0,
      failed: 0,
      interrupted: false,
    });
    const again = await sextant("ingest", join(dir, "docs"));
    expect(again.stdout).toMatch(
      /^0 added, 0 updated, 2 unchanged, 0 failed; 0 chunks in/,
    );
  });

  it("asks for paths or --demo when given neither", async () => {
    const { code, stderr } = await sextant("ingest");
    expect(code).toBe(2);
    expect(stderr).toContain("give files or folders to ingest, or --demo");
  });

  it("counts documents and chunks", async () => {
    expect(JSON.parse((await sextant("stats", "--json")).stdout)).toEqual({
      documents: 2,
      chunks: 2,
    });
  });

  it("searches with --json: [{ source, chunkId, score, text }], the file's path as source", async () => {
    const results = JSON.parse(
      (await sextant("search", "Erie canal", "--json", "--k", "1")).stdout,
    );
    expect(results).toHaveLength(1);
    expect(results[0]).toEqual({
      source: "docs/canals.txt",
      chunkId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      score: expect.any(Number),
      text: expect.stringContaining("Erie canal"),
    });
  });

  it("runs --queries: one JSON line per query with its time", async () => {
    const lines = (
      await sextant("search", "--queries", join(dir, "queries.txt"), "--json")
    ).stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.query)).toEqual(["canal trade", "wool tariff"]);
    for (const l of lines) {
      expect(l.ms).toBeGreaterThan(0);
      expect(l.results[0]).toHaveProperty("source");
    }
  });

  it("answers a question with the extractive answerer and numbered sources", async () => {
    const { stdout } = await sextant(
      "ask",
      "When did the Erie canal open trade?",
    );
    expect(stdout).toContain("Extractive answer");
    expect(stdout).toContain(
      '"The Erie canal opened trade between the lakes and the sea." [1]',
    );
    expect(stdout).toContain("[1] docs/canals.txt");
    const json = JSON.parse(
      (await sextant("ask", "wool tariff", "--json")).stdout,
    );
    expect(json).toMatchObject({
      extractive: true,
      sources: [{ source: "docs/tariff.md" }],
    });
    expect(Object.keys(json.latencyMs)).toEqual([
      "classify",
      "condense",
      "retrieve",
      "answer",
    ]);
  });

  it("rejects a bad --k and a missing query with exit code 2 and the reason", async () => {
    const badK = await sextant("search", "x", "--k", "0");
    expect(badK.code).not.toBe(0);
    expect(badK.stderr).toContain("must be a whole number from 1 to 50");
    const none = await sextant("search");
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("give a query, or --queries <file>");
  });

  it("evaluates a set: hit@k, MRR and nDCG@k against expected sources, a verdict per question, the judge not run", async () => {
    writeFileSync(
      join(dir, "set.jsonl"),
      [
        {
          question: "Which document is about the Erie canal and trade?",
          expectedSources: ["canals"],
        },
        {
          question: "What was done about the tariff on wool?",
          expectedSources: ["TARIFF"],
        },
        {
          question: "What about the lighthouses?",
          expectedSources: ["lighthouses"],
        },
      ]
        .map((q) => JSON.stringify(q))
        .join("\n"),
    );
    const { code, stdout } = await sextant(
      "eval",
      "--set",
      join(dir, "set.jsonl"),
      "--k",
      "1",
      "--json",
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    // Two of three found, each at rank 1: every mean is 2/3.
    expect(report).toMatchObject({
      k: 1,
      hitAtK: 0.667,
      mrr: 0.667,
      ndcg: 0.667,
      judge: {
        faithfulness: {
          status: "not run",
          reason: expect.stringContaining("no language model"),
        },
        factCoverage: { status: "not run" },
      },
    });
    expect(report.questions.map((q: { verdict: string }) => q.verdict)).toEqual(
      ["hit", "hit", "miss"],
    );
    expect(report.latencyMs.retrieve.p50).toBeGreaterThan(0);
    const text = await sextant(
      "eval",
      "--set",
      join(dir, "set.jsonl"),
      "--k",
      "1",
    );
    expect(text.stdout).toContain("3 questions, k = 1: hit@1 0.667");
    expect(text.stdout).toContain("Missed (1):\n- What about the lighthouses?");
  });

  it("evaluates a set saved through the API, by its name", async () => {
    const store = await openDatabase(join(dir, "data"), "");
    try {
      await saveEvaluationSet(
        store.db,
        {
          id: "sub-admin",
          username: "admin",
          groups: [],
          isAdministrator: true,
        },
        {
          name: "canals",
          jsonl: JSON.stringify({
            question: "Erie canal trade",
            expectedSources: ["canals"],
          }),
        },
      );
    } finally {
      await store.close();
    }
    const { code, stdout } = await sextant("eval", "--set", "canals", "--json");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      hitAtK: 1,
      questions: [{ verdict: "hit" }],
    });
  });

  it("refuses a bad set or configuration with exit code 2, naming the line and field", async () => {
    writeFileSync(
      join(dir, "bad.jsonl"),
      '{"question":"q","expectedSources":["a"]}\n{"question":"q"}\n',
    );
    const bad = await sextant("eval", "--set", join(dir, "bad.jsonl"));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("line 2: expectedSources: Required");
    writeFileSync(
      join(dir, "k0.json"),
      JSON.stringify({ retrieval: { k: 0 } }),
    );
    const k0 = await sextant(
      "eval",
      "--set",
      join(dir, "set.jsonl"),
      "--config",
      join(dir, "k0.json"),
    );
    expect(k0.code).toBe(2);
    expect(k0.stderr).toContain("retrieval.k");
    const missing = await sextant("eval", "--set", join(dir, "none.jsonl"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      "is neither a file nor the name of a saved evaluation set",
    );
  });
});

describe("sextant sources add, sync and sources list (a folder kept equal to a collection)", () => {
  it("registers a folder, syncs it in, follows a deletion, and lists the source with its last sync", async () => {
    const folder = join(dir, "Field Notes");
    mkdirSync(folder);
    writeFileSync(
      join(folder, "otters.txt"),
      "Otters were seen at the weir at dusk.",
    );
    writeFileSync(
      join(folder, "herons.txt"),
      "Two herons nest above the mill race.",
    );
    const unknown = await sextant(
      "sources",
      "add",
      folder,
      "--collection",
      "Nowhere",
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      "no collection named 'Nowhere'; there are: General",
    );
    const added = await sextant(
      "sources",
      "add",
      folder,
      "--collection",
      "General",
    );
    expect(added.stdout).toContain("Added source field-notes → General.");

    expect(JSON.parse((await sextant("sync", "--json")).stdout)).toMatchObject({
      "field-notes": { added: 2, removed: 0, failed: 0 },
    });
    rmSync(join(folder, "herons.txt"));
    const second = await sextant("sync");
    expect(second.stdout).toContain(
      "field-notes: 0 added, 0 updated, 1 unchanged, 1 removed, 0 failed",
    );
    const search = JSON.parse(
      (await sextant("search", "herons mill race", "--json")).stdout,
    );
    expect(search.map((r: { source: string }) => r.source)).not.toContain(
      "field-notes/herons.txt",
    );
    const [listed] = JSON.parse(
      (await sextant("sources", "list", "--json")).stdout,
    );
    expect(listed).toMatchObject({
      name: "field-notes",
      kind: "folder",
      collectionName: "General",
      documents: 1,
      lastSync: { removed: 1 },
    });
  });
});
