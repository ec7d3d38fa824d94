import { join } from "node:path";
import { benchRetrieval } from "./retrieval.js";

// `npm run bench`: the retrieval benchmark on the State of the Union corpus (more arrive with the chat API).
const questions = join(
  import.meta.dirname,
  "..",
  "..",
  "eval",
  "sotu-questions.json",
);
const result = await benchRetrieval(questions);
console.log(JSON.stringify(result, null, 2));
