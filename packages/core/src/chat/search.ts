import { toCitation, type Citation } from "./messages";
import type { Database } from "../db/database";
import type { Embedder } from "../embeddings/embedder";
import type { InferenceConfig } from "../inference-config/schema";
import { retrievePassages, type Reranker } from "../retrieval/rerank";
import {
  isRelevant,
  type RetrievalOptions,
} from "../retrieval/retrieve-hybrid";

/** Passages for a query, ranked as the chain would retrieve them (the configuration's retrieval settings, `k` overridable). */
export async function searchPassages(
  deps: {
    readonly db: Database;
    readonly embedder: Embedder;
    readonly reranker?: Reranker;
  },
  input: {
    readonly query: string;
    readonly k?: number;
    readonly config: InferenceConfig;
    /** The collections the search may read: the caller's. */
    readonly collections: RetrievalOptions["collections"];
  },
): Promise<Citation[]> {
  const { passages } = await retrievePassages(deps, input.query, {
    ...input.config.retrieval,
    k: input.k ?? input.config.retrieval.k,
    collections: input.collections,
  });
  return passages.filter((r) => isRelevant(r)).map(toCitation);
}
