import type { EvaluationQuestion } from "./evaluation-set";
import { meanScores, scoreQuestion } from "./metrics";
import type { Database } from "../db/database";
import type { Embedder } from "../embeddings/embedder";
import type { InferenceConfig } from "../inference-config/schema";
import { retrievePassages, type Reranker } from "../retrieval/rerank";
import type { RetrievalOptions } from "../retrieval/retrieve-hybrid";

/** What a judge-based figure is when no model judged it: never a zero. */
export interface NotRun {
  readonly status: "not run";
  readonly reason: string;
}

/** The median and 95th percentile of a step's milliseconds. */
export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
}

/** One question's outcome: its scores, what was retrieved, and how long retrieval took. */
export interface QuestionResult {
  readonly question: string;
  readonly verdict: "hit" | "miss";
  readonly reciprocalRank: number;
  readonly ndcg: number;
  /** Ranks (1-based) of the passages that found an expected source. */
  readonly ranks: readonly number[];
  readonly retrieved: readonly { title: string; source: string }[];
  readonly retrieveMs: number;
  /** Absent without a reranker. */
  readonly rerankMs?: number;
}

/** An evaluation run: the means over the set, per-step latency, and a verdict per question. */
export interface EvaluationReport {
  readonly k: number;
  readonly hitAtK: number;
  readonly mrr: number;
  readonly ndcg: number;
  /** Per step: retrieval, and reranking when the configuration has a reranker. */
  readonly latencyMs: {
    readonly retrieve: Percentiles;
    readonly rerank?: Percentiles;
  };
  /** Faithfulness to the cited passages and coverage of the expected facts. */
  readonly judge: {
    readonly faithfulness: NotRun;
    readonly factCoverage: NotRun;
  };
  readonly questions: readonly QuestionResult[];
}

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length
    ? sorted[
        Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
      ]
    : 0;
};
const round = (n: number, digits = 3) =>
  Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Runs an evaluation set against a configuration's retrieval: each question retrieves its top `k`
 * (the configuration's `retrieval.k` unless given) from `collections`, scored against its expected
 * sources (hit@k, MRR, nDCG@k). The judge-based figures (faithfulness, fact coverage) need a model
 * judge, which is not built yet: they are reported as "not run", with the reason.
 */
export async function runEvaluation(
  deps: {
    readonly db: Database;
    readonly embedder: Embedder;
    readonly reranker?: Reranker;
  },
  questions: readonly EvaluationQuestion[],
  options: {
    readonly config: InferenceConfig;
    readonly k?: number;
    readonly collections: RetrievalOptions["collections"];
    /** Called after each question: how many are done. */
    readonly onProgress?: (done: number, total: number) => void;
  },
): Promise<EvaluationReport> {
  const k = options.k ?? options.config.retrieval.k;
  const { rerank } = options.config.retrieval;
  const retrieval = {
    ...options.config.retrieval,
    k,
    ...(rerank
      ? { rerank: { candidates: Math.max(k, rerank.candidates) } }
      : {}),
    collections: options.collections,
  };
  const results: QuestionResult[] = [];
  const scores = [];
  for (const q of questions) {
    const { passages, retrieveMs, rerankMs } = await retrievePassages(
      deps,
      q.question,
      retrieval,
    );
    const score = scoreQuestion(passages, q.expectedSources, k);
    scores.push(score);
    results.push({
      question: q.question,
      verdict: score.hit ? "hit" : "miss",
      reciprocalRank: round(score.reciprocalRank),
      ndcg: round(score.ndcg),
      ranks: score.ranks,
      retrieved: passages.map(({ title, source }) => ({ title, source })),
      retrieveMs,
      ...(rerankMs === undefined ? {} : { rerankMs }),
    });
    options.onProgress?.(results.length, questions.length);
  }
  const mean = meanScores(scores);
  const notRun: NotRun = {
    status: "not run",
    reason:
      options.config.models.answer.provider === "extractive"
        ? "no language model is configured (the extractive answer needs no judge)"
        : "the model judge is not part of this version",
  };
  const percentiles = (ms: number[]): Percentiles => ({
    p50: round(percentile(ms, 50), 2),
    p95: round(percentile(ms, 95), 2),
  });
  const reranked = results.flatMap((r) =>
    r.rerankMs === undefined ? [] : [r.rerankMs],
  );
  return {
    k,
    hitAtK: round(mean.hitAtK),
    mrr: round(mean.mrr),
    ndcg: round(mean.ndcg),
    latencyMs: {
      retrieve: percentiles(results.map((r) => r.retrieveMs)),
      ...(reranked.length ? { rerank: percentiles(reranked) } : {}),
    },
    judge: { faithfulness: notRun, factCoverage: notRun },
    questions: results,
  };
}
