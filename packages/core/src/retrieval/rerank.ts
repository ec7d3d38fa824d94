import {
  retrieveHybrid,
  type RetrievalOptions,
  type RetrievedChunk,
} from "./retrieve-hybrid";
import type { Database } from "../db/database";
import type { Embedder } from "../embeddings/embedder";
import { contentWords } from "../embeddings/text-features";

/** One reranked passage: its index among those given, and the reranker's relevance score. */
export interface RerankResult {
  readonly index: number;
  readonly score: number;
}

/** Reorders passages by their relevance to a query. */
export interface Reranker {
  readonly modelId: string;
  /** The passages' indexes, most relevant first, with scores; at most `top` of them. */
  rerank(
    query: string,
    passages: readonly string[],
    top: number,
    signal?: AbortSignal,
  ): Promise<RerankResult[]>;
}

/** Words this far apart (or closer) count as near each other. */
const PROXIMITY_WINDOW = 15;
/** The weight of proximity against coverage in the local score. */
const PROXIMITY_SHARE = 0.5;
/** The constant of the fusion of the local order with the search's own. */
const FUSION_K = 20;

/**
 * The offline reranker: no model, no download. It scores each passage by how much of the query's
 * informative words it holds (weighted by how rare each is among the candidates) and by the best
 * window of {@link PROXIMITY_WINDOW} words that holds them together, and fuses that order with
 * the hybrid search's own by reciprocal rank: a lexical second opinion that lifts the passage
 * where the question's words stand together. Measured on the benchmark's 120 questions with 10
 * candidates: hit@5 unchanged, MRR up (docs/benchmarks.md). A cross-encoder (Bedrock, a
 * Cohere-compatible server) reads meaning; this does not.
 */
export class LocalReranker implements Reranker {
  readonly modelId = "proximity";

  async rerank(
    query: string,
    passages: readonly string[],
    top: number,
  ): Promise<RerankResult[]> {
    const terms = [...new Set(contentWords(query))];
    const words = passages.map((p) => contentWords(p));
    const idf = new Map(
      terms.map((t) => {
        const df = words.filter((w) => w.includes(t)).length;
        return [
          t,
          Math.log(1 + (passages.length - df + 0.5) / (df + 0.5)),
        ] as const;
      }),
    );
    const total = [...idf.values()].reduce((a, b) => a + b, 0) || 1;
    const weight = (found: Iterable<string>) =>
      [...found].reduce((sum, t) => sum + (idf.get(t) ?? 0), 0) / total;
    const local = words.map((passage) => {
      const hits = passage
        .map((word, position) => ({ word, position }))
        .filter((h) => idf.has(h.word));
      let nearest = 0;
      for (let a = 0; a < hits.length; a++) {
        const near = new Set<string>();
        for (
          let b = a;
          b < hits.length &&
          hits[b].position - hits[a].position <= PROXIMITY_WINDOW;
          b++
        )
          near.add(hits[b].word);
        nearest = Math.max(nearest, weight(near));
      }
      const coverage = weight(new Set(hits.map((h) => h.word)));
      return PROXIMITY_SHARE * nearest + (1 - PROXIMITY_SHARE) * coverage;
    });
    const localRank = new Map(
      local
        .map((score, index) => ({ score, index }))
        .sort((a, b) => b.score - a.score || a.index - b.index)
        .map((r, rank) => [r.index, rank]),
    );
    return passages
      .map((_, index) => ({
        index,
        score:
          1 / (FUSION_K + index + 1) +
          1 / (FUSION_K + localRank.get(index)! + 1),
      }))
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, top);
  }
}

/**
 * The best `k` of `candidates` by the reranker, with its scores; as the search orders them,
 * passages of one document beyond `maxPerDocument` come after those of all other documents.
 */
export async function rerankPassages(
  reranker: Reranker,
  query: string,
  candidates: readonly RetrievedChunk[],
  options: { k: number; maxPerDocument?: number; signal?: AbortSignal },
): Promise<RetrievedChunk[]> {
  if (candidates.length === 0) return [];
  const ranked = await reranker.rerank(
    query,
    candidates.map((c) => `${c.title}\n${c.text}`),
    candidates.length,
    options.signal,
  );
  const seen = new Map<string, number>();
  const reordered = ranked
    .filter((r) => candidates[r.index] !== undefined)
    .map((r) => {
      const chunk = candidates[r.index];
      const nth = (seen.get(chunk.documentId) ?? 0) + 1;
      seen.set(chunk.documentId, nth);
      return {
        chunk: { ...chunk, rerankScore: r.score },
        later: nth > (options.maxPerDocument ?? 1),
      };
    });
  return [
    ...reordered.filter((r) => !r.later),
    ...reordered.filter((r) => r.later),
  ]
    .slice(0, options.k)
    .map((r) => r.chunk);
}

/** Passages found for a query, and how long the search and the reranking took (ms). */
export interface Retrieval {
  readonly passages: RetrievedChunk[];
  readonly retrieveMs: number;
  /** Absent when no reranker is configured. */
  readonly rerankMs?: number;
}

const since = (started: number) =>
  Math.round((performance.now() - started) * 100) / 100;

/**
 * The retrieval of the chain, the search API and evaluations: the hybrid search's best `k`, or,
 * with a reranker, its best `candidates` (at least `k`, when a caller asks for more passages than
 * the configuration's) reranked down to `k`. The search gathers the same candidates either way,
 * so the reranker can only reorder what a search for `k` would have considered, plus the
 * passages just below its cut.
 */
export async function retrievePassages(
  deps: {
    readonly db: Database;
    readonly embedder: Embedder;
    readonly reranker?: Reranker;
  },
  query: string,
  options: RetrievalOptions & {
    readonly rerank?: { readonly candidates: number };
    readonly signal?: AbortSignal;
  },
): Promise<Retrieval> {
  const started = performance.now();
  const reranking = options.rerank && deps.reranker;
  const found = await retrieveHybrid(deps.db, deps.embedder, query, {
    ...options,
    // The search never returns fewer than k (retrievalParameters), so candidates below a
    // caller's larger k still rerank k passages.
    ...(reranking ? { limit: options.rerank!.candidates } : {}),
  });
  const retrieveMs = since(started);
  if (!reranking) return { passages: found, retrieveMs };
  const reranked = performance.now();
  const passages = await rerankPassages(deps.reranker!, query, found, {
    k: options.k,
    maxPerDocument: options.maxPerDocument,
    signal: options.signal,
  });
  return { passages, retrieveMs, rerankMs: since(reranked) };
}
