import { spawn, execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { sotuDataDir } from "@sextant/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const bin = join(import.meta.dirname, "..", "..", "bin", "sextant.js");
const env = { ...process.env, DATABASE_URL: "" };
// `npm test` takes every sixth speech (39 of 233, 1790 to 2021: the same paths — four documents at a
// time, a kill mid-run, a rerun — on a sixth of the text); `npm run test:soak` takes them all.
const SOAK = process.env.SEXTANT_SOAK === "1";
const EVERY = SOAK ? 1 : 6;
let dir: string;
let speechCount: number;
let killAfter: number;

const sextant = async (...args: string[]) =>
  (await run(process.execPath, [bin, ...args], { env })).stdout;
const stats = async (dataDir: string) =>
  JSON.parse(await sextant("stats", "--json", "--data-dir", dataDir));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sextant-kill-"));
  mkdirSync(join(dir, "corpus"));
  const speeches = readdirSync(sotuDataDir())
    .filter((name) => name.endsWith(".txt"))
    .sort()
    .filter((_, i) => i % EVERY === 0);
  speechCount = speeches.length;
  killAfter = Math.floor(speechCount * 0.43);
  for (const speech of speeches)
    cpSync(join(sotuDataDir(), speech), join(dir, "corpus", speech));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`sextant ingest of ${SOAK ? "the whole State of the Union corpus" : "every sixth State of the Union address"}, four documents at a time`, () => {
  it("twice in a row, and once killed with SIGKILL mid-run then rerun, ends with the counts of one clean run", async () => {
    await sextant(
      "ingest",
      join(dir, "corpus"),
      "--data-dir",
      join(dir, "clean"),
    );
    const clean = await stats(join(dir, "clean"));
    expect(clean.documents).toBe(speechCount);
    const again = JSON.parse(
      await sextant(
        "ingest",
        join(dir, "corpus"),
        "--json",
        "--data-dir",
        join(dir, "clean"),
      ),
    );
    expect(again).toMatchObject({
      added: 0,
      updated: 0,
      unchanged: speechCount,
      chunks: 0,
    });
    expect(await stats(join(dir, "clean"))).toEqual(clean);

    // Killed once 43% of the documents are committed (progress arrives as JSON lines on stderr).
    const child = spawn(
      process.execPath,
      [
        bin,
        "ingest",
        join(dir, "corpus"),
        "--json",
        "--data-dir",
        join(dir, "killed"),
      ],
      { env },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => resolve(signal)),
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes(`"done":${killAfter},`)) child.kill("SIGKILL");
    });
    expect(await exited).toBe("SIGKILL");
    const partial = await stats(join(dir, "killed"));
    expect(partial.documents).toBeGreaterThanOrEqual(killAfter);
    expect(partial.documents).toBeLessThan(speechCount);

    await sextant(
      "ingest",
      join(dir, "corpus"),
      "--data-dir",
      join(dir, "killed"),
    );
    expect(await stats(join(dir, "killed"))).toEqual(clean);
  }, 600_000);
});
