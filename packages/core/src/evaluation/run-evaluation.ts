import type { EvaluationQuestion } from "./evaluation-set";
import { judgeAnswer, type JudgeVerdict } from "./judge";
import { meanScores, scoreQuestion } from "./metrics";
import { answerQuestion } from "../chain/answer-question";
import type { LanguageModel } from "../chain/language-model";
import type { ModelStep } from "../chain/steps";
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

/** What evaluating needs: the store, and the configuration's embedder, reranker and models. */
export interface EvaluationDependencies {
  readonly db: Database;
  readonly embedder: Embedder;
  readonly reranker?: Reranker;
  /** The text models; the answer model, when there is one, also judges. */
  readonly models?: Partial<Record<ModelStep, LanguageModel>>;
}

/** How one configuration is evaluated. */
export interface EvaluationOptions {
  readonly config: InferenceConfig;
  /** Passages retrieved. @default the configuration's `retrieval.k` */
  readonly k?: number;
  /** The cut-off of the metrics. @default k */
  readonly cutoff?: number;
  readonly collections: RetrievalOptions["collections"];
  readonly signal?: AbortSignal;
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

/** The answer model that judges, unless the configuration answers offline. */
const judgeOf = (deps: EvaluationDependencies, config: InferenceConfig) =>
  config.models.answer.provider === "extractive"
    ? undefined
    : deps.models?.answer;

/**
 * One question against one configuration: its top `k` retrieved (and reranked) as the chain
 * would, scored against its expected sources at the cut-off; with a language model configured,
 * the chain's answer, judged by that model.
 */
export async function evaluateQuestion(
  deps: EvaluationDependencies,
  q: EvaluationQuestion,
  options: EvaluationOptions,
): Promise<QuestionResult> {
  const { config } = options;
  const k = options.k ?? config.retrieval.k;
  const cutoff = options.cutoff ?? k;
  const { rerank } = config.retrieval;
  const { passages, retrieveMs, rerankMs } = await retrievePassages(
    deps,
    q.question,
    {
      ...config.retrieval,
      k,
      ...(rerank
        ? { rerank: { candidates: Math.max(k, rerank.candidates) } }
        : {}),
      collections: options.collections,
      signal: options.signal,
    },
  );
  const score = scoreQuestion(passages, q.expectedSources, cutoff);
  const result: QuestionResult = {
    question: q.question,
    verdict: score.hit ? "hit" : "miss",
    reciprocalRank: round(score.reciprocalRank),
    ndcg: round(score.ndcg),
    ranks: score.ranks,
    retrieved: passages.map(({ title, source }) => ({ title, source })),
    retrieveMs,
    ...(rerankMs === undefined ? {} : { rerankMs }),
  };
  const judge = judgeOf(deps, config);
  if (!judge) return result;
  let answer = "";
  let sources: Parameters<typeof judgeAnswer>[2]["sources"] = [];
  for await (const event of answerQuestion(deps, {
    question: q.question,
    config,
    collections: options.collections,
    signal: options.signal,
  }))
    if (event.type === "done") {
      answer = event.result.answer;
      sources = event.result.sources;
    }
  const verdict = await judgeAnswer(
    judge,
    config,
    { question: q.question, answer, sources, expectedFacts: q.expectedFacts },
    options.signal,
  );
  return { ...result, answer, judge: verdict };
}

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

/**
 * Runs an evaluation set against a configuration (`sextant eval`): each question evaluated by
 * {@link evaluateQuestion} in turn, then {@link summarizeEvaluation}.
 */
export async function runEvaluation(
  deps: EvaluationDependencies,
  questions: readonly EvaluationQuestion[],
  options: EvaluationOptions & {
    /** Called after each question: how many are done. */
    readonly onProgress?: (done: number, total: number) => void;
  },
): Promise<EvaluationReport> {
  const k = options.k ?? options.config.retrieval.k;
  const results: QuestionResult[] = [];
  for (const q of questions) {
    results.push(await evaluateQuestion(deps, q, { ...options, k }));
    options.onProgress?.(results.length, questions.length);
  }
  return summarizeEvaluation(results, {
    cutoff: options.cutoff ?? k,
    config: options.config,
  });
}
