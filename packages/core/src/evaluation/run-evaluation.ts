import type { EvaluationQuestion } from "./evaluation-set";
import { judgeAnswer } from "./judge";
import { scoreQuestion } from "./metrics";
import {
  round,
  summarizeEvaluation,
  type EvaluationReport,
  type QuestionResult,
} from "./report";
import { answerQuestion } from "../chain/answer-question";
import type { LanguageModel } from "../chain/language-model";
import { modelFor, type ModelStep } from "../chain/steps";
import type { Database } from "../db/database";
import type { Embedder } from "../embeddings/embedder";
import type { InferenceConfig } from "../inference-config/schema";
import { retrievePassages, type Reranker } from "../retrieval/rerank";
import type { RetrievalOptions } from "../retrieval/retrieve-hybrid";

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
  const { passages, retrieveMs, rerankMs } = await retrievePassages(
    deps,
    q.question,
    {
      ...config.retrieval,
      k,
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
  // The answer model judges, unless the configuration answers offline.
  const judge = modelFor({ config, models: deps.models }, "answer");
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
