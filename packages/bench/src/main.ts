import { execSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT, round } from "@sextant/local";
import { benchApi } from "./api.js";
import { benchColdStart } from "./cold-start.js";
import { benchFirstToken } from "./first-token.js";
import { benchFormats } from "./formats.js";
import { benchGuardrails } from "./guardrails.js";
import { writeReport, type BenchResults } from "./report.js";
import { benchRetrieval } from "./retrieval.js";
import { benchScale } from "./scale.js";
import { benchUsage } from "./usage.js";

// `npm run bench`: retrieval on the State of the Union corpus (with the vector index against an
// exact scan), the API on the local stack (chat turns, load, token verification), Lambda cold
// starts and the first request of a fresh bundle, the first answer token with models on a
// stand-in server with Bedrock's latency, the website in Chromium, and the cached build; then docs/benchmarks.json and the
// generated part of docs/benchmarks.md. `--quick` shortens the load runs and the website's
// samples and skips the build (about 2 minutes); `--scale` adds 100k chunks (about 12 more
// minutes); `--build` adds a cold build; `--only <section>` runs one section and writes nothing.
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.includes("--only")
  ? args[args.indexOf("--only") + 1]
  : undefined;
const runs = (section: string) => !only || only === section;
const evalFile = (name: string) =>
  join(import.meta.dirname, "..", "eval", name);
/** The evaluation sets (docs/benchmarks.md says how each was written and used). */
const questionSets = [
  { name: "A", file: evalFile("sotu-questions.json") },
  { name: "B", file: evalFile("sotu-questions-b.json") },
  { name: "C", file: evalFile("sotu-questions-c.json") },
];
const questions = questionSets[0].file;

/** Seconds `npx projen build` takes, with or without the Nx cache. */
function buildSeconds(cold: boolean): number {
  const started = performance.now();
  execSync("npx projen build", {
    cwd: REPO_ROOT,
    stdio: "ignore",
    env: { ...process.env, ...(cold ? { NX_SKIP_NX_CACHE: "true" } : {}) },
  });
  return round((performance.now() - started) / 1000, 1);
}

const results: BenchResults = {};
if (runs("retrieval")) results.retrieval = await benchRetrieval(questionSets);
if (runs("guardrails"))
  results.guardrails = await benchGuardrails(questionSets.map((s) => s.file));
if (runs("usage")) results.usage = await benchUsage(quick ? 100 : 300);
if (runs("formats"))
  results.formats = await benchFormats(quick ? 4 : 12, quick ? 3 : 6);
if (runs("api"))
  results.api = await benchApi(questions, { seconds: quick ? 3 : 10 });
if (runs("cold-start")) results.coldStart = await benchColdStart(quick ? 3 : 5);
if (runs("first-token"))
  results.firstToken = await benchFirstToken(quick ? 3 : 8);
if (runs("website"))
  results.website = await (
    await import("@sextant/e2e")
  ).benchWebsite(quick ? 3 : 7);
// The build with its tests: a first run fills the Nx cache (not reported), the second is the
// cached figure. Not in --quick: the first run may take as long as `npm test`.
if (runs("build") && !quick) {
  buildSeconds(false);
  results.build = {
    cachedSeconds: buildSeconds(false),
    ...(args.includes("--build") ? { coldSeconds: buildSeconds(true) } : {}),
  };
}
if (args.includes("--scale"))
  results.scale100k = await benchScale(questions, 100_000);

console.log(JSON.stringify(results, null, 2));
if (!only) writeReport(results, { quick });
// A bundle past its budget, or Sextant's own share of the first token past 100 ms, fails the
// run (after the report, which shows it).
const overBudget = [
  ...(results.coldStart?.budget ?? []),
  ...(results.firstToken &&
  results.firstToken.recommended.followUp.sextantP50Ms > 100
    ? [
        `first token, follow-up: Sextant's share ${results.firstToken.recommended.followUp.sextantP50Ms} ms > 100 ms`,
      ]
    : []),
];
if (overBudget.length) {
  console.error(`Over budget:\n  ${overBudget.join("\n  ")}`);
  process.exitCode = 1;
}
