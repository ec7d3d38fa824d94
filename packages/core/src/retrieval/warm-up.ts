import { retrieveHybrid, type RetrievalOptions } from "./retrieve-hybrid";
import type { Database } from "../db/database";
import type { Embedder } from "../embeddings/embedder";
import { DEFAULT_INFERENCE_CONFIG } from "../inference-config/defaults";

/** Questions about no corpus in particular: common words, a name, a number, a quoted phrase. */
const WARM_UP_QUESTIONS = [
  "What did the report say about the budget and taxes?",
  "Which treaty with France was signed?",
  "How many soldiers served in the war?",
  "What about schools, health care and jobs for workers?",
  "When did Congress pass the law on trade?",
  'The economy grew and "prices fell"',
  "Which nations joined the alliance for peace?",
  "What was proposed for roads, railroads and canals?",
  "Did the government pay its debt -interest?",
  "What did the president ask Congress to do about immigration?",
];

/**
 * Runs a few searches whose results are thrown away, so that the first real ones do not pay for
 * the engine's warm-up: the embedded Postgres is WebAssembly, which V8 turns into fast code only
 * once it has run, and its catalogue and plan caches start empty. In a fresh process over the
 * 12,904 State of the Union chunks, the first question took 330 ms and the tenth 25 ms; after
 * this (about 0.9 s on 2 cores), the first takes about 20 ms. Reads only.
 */
export async function warmUp(
  db: Database,
  embedder: Embedder,
  options: RetrievalOptions = {
    ...DEFAULT_INFERENCE_CONFIG.retrieval,
    collections: "all",
  },
): Promise<void> {
  for (const question of WARM_UP_QUESTIONS)
    await retrieveHybrid(db, embedder, question, options);
}
