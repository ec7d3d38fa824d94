import { join } from "node:path";
import { benchApi } from "./api.js";
import { benchRetrieval } from "./retrieval.js";
import { benchScale } from "./scale.js";

// `npm run bench`: retrieval on the State of the Union corpus, then the API on the local stack
// under load, then the website's weight and paint time in Chromium; `npm run bench -- --scale` adds search latency at 100k chunks (about 12 more minutes
// on 2 cores, mostly building the HNSW index); `--only api` runs one section.
const questions = join(
  import.meta.dirname,
  "..",
  "..",
  "eval",
  "sotu-questions.json",
);
const only = process.argv.includes("--only")
  ? process.argv[process.argv.indexOf("--only") + 1]
  : undefined;
const result: Record<string, unknown> = {};
if (!only || only === "retrieval")
  result.retrieval = await benchRetrieval(questions);
if (!only || only === "api")
  result.api = await benchApi(questions, { seconds: 10 });
if (!only || only === "website")
  result.website = await (await import("@sextant/e2e")).benchWebsite();
if (process.argv.includes("--scale"))
  result.scale100k = await benchScale(questions, 100_000);
console.log(JSON.stringify(result, null, 2));
