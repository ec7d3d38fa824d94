import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advanceEvaluationRun } from "./advance-run";
import {
  getEvaluationRun,
  startEvaluationRun,
  versionScores,
} from "./evaluation-runs";
import { saveEvaluationSet } from "./evaluation-sets";
import { runEvaluation } from "./run-evaluation";
import { saveAssistant } from "../assistants/administer-assistants";
import { assistantById } from "../assistants/assistants";
import { listAuditLog } from "../audit/audit-log";
import { DEFAULT_ASSISTANT_ID } from "../db/migrations";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import { LocalEmbedder } from "../embeddings/local-embedder";
import { InvalidInputError } from "../errors";
import type { Caller } from "../identity/caller";
import type { DeploymentPolicy } from "../inference-config/deployment-policy";
import type { InferenceConfig } from "../inference-config/schema";
import { ingestFiles } from "../ingest/ingest";

const ada: Caller = {
  id: "sub-ada",
  username: "ada",
  groups: ["Administrators"],
  isAdministrator: true,
};
const GATED: DeploymentPolicy = {
  maxTokens: 4096,
  endpointOrigins: [],
  allowLoopbackHttp: false,
  qualityGate: true,
};
const TOPICS = ["canal", "tariff", "harbour", "railway", "telegraph", "treaty"];
const SET = TOPICS.map((t) => ({
  question: `What of the ${t}?`,
  expectedSources: [`/${t}.txt`],
  expectedFacts: [],
}));
const jsonl = SET.map((q) => JSON.stringify(q)).join("\n");

let dir: string;
let store: OpenDatabase;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sextant-runs-"));
  // Each topic's answer, and notes that repeat its word: some rank above the answer, so a
  // configuration that keeps one passage misses questions that one keeping five finds.
  for (const t of TOPICS) {
    writeFileSync(
      join(dir, `${t}.txt`),
      `The ${t} was the subject of the year.`,
    );
    writeFileSync(
      join(dir, `${t}-notes.txt`),
      `Notes: the ${t}, the ${t}, the ${t} again.`,
    );
  }
  store = await openDatabase(join(dir, "data"), "");
  await ingestFiles(store.db, new LocalEmbedder(), [dir]);
  await saveEvaluationSet(store.db, ada, { name: "topics", jsonl });
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const withK = (config: InferenceConfig, k: number): InferenceConfig => ({
  ...config,
  retrieval: { ...config.retrieval, k },
});
const current = async () => assistantById(store.db, DEFAULT_ASSISTANT_ID);

describe("evaluation runs (embedded Postgres)", () => {
  it("runs in slices, keeping each question's results, and ends with both reports, the deltas and the questions made worse", async () => {
    const base = await current();
    const run = await startEvaluationRun(store.db, ada, {
      setName: "topics",
      draft: withK(base.config, 1),
    });
    expect(run).toMatchObject({ status: "running", done: 0, total: 6 });
    // A budget of 0 still evaluates one question per slice: progress is always made.
    const first = await advanceEvaluationRun(store.db, run.id, { budgetMs: 0 });
    expect(first).toMatchObject({ status: "running", done: 1, total: 6 });
    const finished = await advanceEvaluationRun(store.db, run.id, {
      budgetMs: 60_000,
    });
    expect(finished.status).toBe("done");
    // The draft retrieves 1 passage; both are scored at the current version's k (5).
    expect(finished.current!.k).toBe(base.config.retrieval.k);
    expect(finished.draft!.k).toBe(base.config.retrieval.k);
    const alone = await runEvaluation(
      { db: store.db, embedder: new LocalEmbedder() },
      SET,
      { config: base.config, collections: "all" },
    );
    expect(finished.current!.hitAtK).toBe(alone.hitAtK);
    expect(finished.current!.mrr).toBe(alone.mrr);
    expect(finished.delta!.ndcg).toBeLessThan(0);
    expect(finished.delta!.hitAtK).toBe(
      Math.round((finished.draft!.hitAtK - finished.current!.hitAtK) * 1000) /
        1000,
    );
    for (const w of finished.worse!)
      expect(w.draft.reciprocalRank).toBeLessThan(w.current.reciprocalRank);
    // The current version's figures are kept with it, for the version history.
    expect(
      (await versionScores(store.db, DEFAULT_ASSISTANT_ID)).get(base.version),
    ).toEqual([
      expect.objectContaining({
        setName: "topics",
        hitAtK: alone.hitAtK,
        runId: run.id,
      }),
    ]);
    expect((await listAuditLog(store.db, { limit: 1 })).items[0]).toMatchObject(
      {
        action: "evaluation.run",
        target: run.id,
      },
    );
  });

  it("survives a restart mid-run: the reopened store goes on from the first question without results, and ends as an uninterrupted run", async () => {
    const run = await startEvaluationRun(store.db, ada, { setName: "topics" });
    await advanceEvaluationRun(store.db, run.id, { budgetMs: 0 });
    await advanceEvaluationRun(store.db, run.id, { budgetMs: 0 });
    // The process dies holding the run: its lease outlives it.
    await store.db.query(
      "UPDATE evaluation_runs SET lease_until = now() + interval '1 hour' WHERE id = $1",
      [run.id],
    );
    await store.close();
    store = await openDatabase(join(dir, "data"), "");
    expect(await getEvaluationRun(store.db, run.id)).toMatchObject({
      status: "running",
      done: 2,
    });
    // Another worker may not take it while the lease holds…
    expect(
      await advanceEvaluationRun(store.db, run.id, { budgetMs: 60_000 }),
    ).toMatchObject({ done: 2 });
    // …and takes it over once it has run out.
    await store.db.query(
      "UPDATE evaluation_runs SET lease_until = now() - interval '1 second' WHERE id = $1",
      [run.id],
    );
    const done = await advanceEvaluationRun(store.db, run.id, {
      budgetMs: 60_000,
    });
    expect(done).toMatchObject({ status: "done", done: 6 });
    expect(done.current!.questions.map((q) => q.question)).toEqual(
      SET.map((q) => q.question),
    );
    const alone = await runEvaluation(
      { db: store.db, embedder: new LocalEmbedder() },
      SET,
      { config: (await current()).config, collections: "all" },
    );
    expect(done.current!.hitAtK).toBe(alone.hitAtK);
  });

  it("refuses a draft the index cannot evaluate, and a set that does not exist", async () => {
    const base = await current();
    await expect(
      startEvaluationRun(store.db, ada, {
        setName: "topics",
        draft: {
          ...base.config,
          models: {
            ...base.config.models,
            embeddings: { ...base.config.models.embeddings, modelId: "other" },
          },
        },
      }),
    ).rejects.toMatchObject({
      fields: [{ path: "draft.models.embeddings" }],
    });
    await expect(
      startEvaluationRun(store.db, ada, {
        setName: "topics",
        draft: {
          ...base.config,
          retrieval: { ...base.config.retrieval, k: 0 },
        },
      }),
    ).rejects.toMatchObject({ fields: [{ path: "draft.retrieval.k" }] });
    await expect(
      startEvaluationRun(store.db, ada, { setName: "nope" }),
    ).rejects.toThrow(/no evaluation set 'nope'/);
  });
});

describe("the quality gate (deployment setting on)", () => {
  const save = async (config: InferenceConfig, runId?: string) => {
    const base = await current();
    return saveAssistant(
      store.db,
      ada,
      DEFAULT_ASSISTANT_ID,
      {
        expectedVersion: base.version,
        assistant: { ...base, config },
        evaluationRunId: runId,
      },
      GATED,
    );
  };
  const evaluated = async (draft: InferenceConfig) => {
    const run = await startEvaluationRun(store.db, ada, {
      setName: "topics",
      draft,
    });
    return advanceEvaluationRun(store.db, run.id, { budgetMs: 60_000 });
  };
  const gateError = async (p: Promise<unknown>) => {
    const e = await p.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidInputError);
    expect((e as InvalidInputError).fields[0].path).toBe("evaluationRun");
    return (e as InvalidInputError).fields[0].message;
  };

  it("refuses a configuration change without an evaluation of it, and one that makes retrieval worse", async () => {
    const base = (await current()).config;
    const worse = withK(base, 1);
    expect(await gateError(save(worse))).toMatch(/evaluate the draft/);
    const run = await evaluated(worse);
    expect(run.delta!.ndcg).toBeLessThan(0);
    expect(await gateError(save(worse, run.id))).toMatch(
      /on set 'topics', the draft's .*nDCG@5 is [\d.]+ against [\d.]+/,
    );
    expect((await current()).config.retrieval.k).toBe(base.retrieval.k);
  });

  it("refuses a run of another draft, or of a version no longer current", async () => {
    const base = (await current()).config;
    const better = withK(base, 6);
    const run = await evaluated(better);
    expect(await gateError(save(withK(base, 7), run.id))).toMatch(
      /another draft/,
    );
    // Someone saves meanwhile (a change of name only: no configuration change, no gate).
    const now = await current();
    await saveAssistant(
      store.db,
      ada,
      DEFAULT_ASSISTANT_ID,
      {
        expectedVersion: now.version,
        assistant: { ...now, description: "meanwhile" },
      },
      GATED,
    );
    expect(await gateError(save(better, run.id))).toMatch(/evaluate again/);
  });

  it("saves a draft no worse than the current version, and keeps its figures with the new version", async () => {
    const base = (await current()).config;
    const same = { ...base, historyTurns: base.historyTurns === 6 ? 5 : 6 };
    const run = await evaluated(same);
    expect(run.delta).toEqual({ hitAtK: 0, mrr: 0, ndcg: 0 });
    const saved = await save(same, run.id);
    const scores = (await versionScores(store.db, DEFAULT_ASSISTANT_ID)).get(
      saved.version,
    );
    expect(scores).toEqual([
      expect.objectContaining({
        setName: "topics",
        runId: run.id,
        hitAtK: run.draft!.hitAtK,
      }),
    ]);
  });
});
