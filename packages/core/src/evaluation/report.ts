import type { JudgeVerdict } from "./judge";
import { meanScores } from "./metrics";
import type { InferenceConfig } from "../inference-config/schema";

/** What a judge-based figure is when no model judged it: never a zero. */
export interface NotRun {
  readonly status: "not run";
  readonly reason: string;
}

/** A judge-based figure: the mean over the questions the judge could read. */
export interface Judged {
  readonly status: "judged";
  readonly value: number;
  /** Questions it is the mean of. */
  readonly questions: number;
}

/** The median and 95th percentile of a step's milliseconds. */
export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
}

/** One question's outcome: its scores, what was retrieved, how long each step took, and the judge's verdict. */
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
  /** The configured model's answer and the judge's verdict on it; absent offline. */
  readonly answer?: string;
  readonly judge?: JudgeVerdict;
}

/** An evaluation run: the means over the set, per-step latency, and a verdict per question. */
export interface EvaluationReport {
  /** The cut-off of hit@k and nDCG@k. */
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
    readonly faithfulness: Judged | NotRun;
    readonly factCoverage: Judged | NotRun;
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
export const round = (n: number, digits = 3) =>
  Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * The report of questions already evaluated: the means at the cut-off, each step's latency, and
 * the judge's figures: "not run", with the reason, when no model judged (never a zero).
 */
export function summarizeEvaluation(
  results: readonly QuestionResult[],
  options: { readonly cutoff: number; readonly config: InferenceConfig },
): EvaluationReport {
  const mean = meanScores(
    results.map((r) => ({
      hit: r.verdict === "hit",
      reciprocalRank: r.reciprocalRank,
      ndcg: r.ndcg,
      ranks: r.ranks,
    })),
  );
  const percentiles = (ms: number[]): Percentiles => ({
    p50: round(percentile(ms, 50), 2),
    p95: round(percentile(ms, 95), 2),
  });
  const reranked = results.flatMap((r) =>
    r.rerankMs === undefined ? [] : [r.rerankMs],
  );
  const judged = results.flatMap((r) =>
    r.judge && r.judge.faithful !== null ? [r.judge] : [],
  );
  const offline = options.config.models.answer.provider === "extractive";
  const notRun = (reason: string): NotRun => ({ status: "not run", reason });
  const facts = judged.flatMap((j) => j.facts);
  const faithfulness: Judged | NotRun = judged.length
    ? {
        status: "judged",
        value: round(judged.filter((j) => j.faithful).length / judged.length),
        questions: judged.length,
      }
    : notRun(
        offline
          ? "no language model is configured (the extractive answer quotes its sources; no judge)"
          : "the judge's replies could not be read",
      );
  const factCoverage: Judged | NotRun =
    judged.length && facts.length
      ? {
          status: "judged",
          value: round(facts.filter((f) => f.covered).length / facts.length),
          questions: judged.filter((j) => j.facts.length).length,
        }
      : faithfulness.status === "not run"
        ? faithfulness
        : notRun("no question of the set has expected facts");
  return {
    k: options.cutoff,
    hitAtK: round(mean.hitAtK),
    mrr: round(mean.mrr),
    ndcg: round(mean.ndcg),
    latencyMs: {
      retrieve: percentiles(results.map((r) => r.retrieveMs)),
      ...(reranked.length ? { rerank: percentiles(reranked) } : {}),
    },
    judge: { faithfulness, factCoverage },
    questions: results,
  };
}
