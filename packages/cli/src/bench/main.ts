import { join } from "node:path";
import { benchRetrieval } from "./retrieval.js";
import { benchScale } from "./scale.js";

// `npm run bench`: retrieval on the State of the Union corpus; `npm run bench -- --scale` adds
// search latency at 100k chunks (about 12 more minutes on 2 cores, mostly building the HNSW index).
const questions = join(
  import.meta.dirname,
  "..",
  "..",
  "eval",
  "sotu-questions.json",
);
const result: Record<string, unknown> = {
  retrieval: await benchRetrieval(questions),
};
if (process.argv.includes("--scale"))
  result.scale100k = await benchScale(questions, 100_000);
console.log(JSON.stringify(result, null, 2));
