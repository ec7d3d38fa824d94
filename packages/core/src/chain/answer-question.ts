import { promptNonce } from "./fenced-prompt";
import {
  estimateTokens,
  type LanguageModel,
  type TokenUsage,
} from "./language-model";
import {
  answerFrom,
  checkedQuestion,
  classifyIntent,
  condenseQuestion,
  intentByRule,
  modelFor,
  retrieveSources,
  type GuardrailChecker,
  type Intent,
  type ModelCall,
  type ModelStep,
  type StepContext,
  type Turn,
} from "./steps";
import type { Database } from "../db/database";
import type { Embedder } from "../embeddings/embedder";
import { deniedTopicOf, questionEmbedder } from "../guardrails/denied-topics";
import type { PiiRedactor } from "../guardrails/redact-pii";
import type { InferenceConfig } from "../inference-config/schema";
import type { Reranker } from "../retrieval/rerank";
import type {
  RetrievalOptions,
  RetrievedChunk,
} from "../retrieval/retrieve-hybrid";

export type { Turn } from "./steps";

/** What the chain needs: storage, the embedder, and a model per step (absent: the offline default). */
export interface ChainDependencies {
  readonly db: Database;
  readonly embedder: Embedder;
  /** Models by chain step; a step with `provider: "extractive"` needs none. */
  readonly models?: Partial<Record<ModelStep, LanguageModel>>;
  /** The reranker, when the configuration's retrieval has one. */
  readonly reranker?: Reranker;
  /** The Bedrock guardrail applied on its own, when the answer model is not on Bedrock. */
  readonly guardrailChecker?: GuardrailChecker;
  /** Who redacts what is stored: Amazon Comprehend, when configured; the offline patterns otherwise. */
  readonly piiRedactor?: PiiRedactor;
}

/** What the chain streams: answer tokens, then the whole result. */
export type ChainEvent =
  | { readonly type: "token"; readonly text: string }
  | { readonly type: "done"; readonly result: ChainResult };

/** A complete answer with its sources, timings and token usage. */
export interface ChainResult {
  readonly answer: string;
  readonly standaloneQuestion: string;
  readonly sources: readonly RetrievedChunk[];
  /** Milliseconds per step; `rerank` only when a reranker ran. */
  readonly latencyMs: {
    classify: number;
    condense: number;
    retrieve: number;
    rerank?: number;
    answer: number;
  };
  readonly usage: TokenUsage;
  /** Each model call the question took (none offline): what usage metering records. */
  readonly calls: readonly ModelCall[];
  /** True when no language model wrote the answer (the offline default). */
  readonly extractive: boolean;
  readonly intent: Intent;
  /** The denied topic the question was declined for (its message is the answer); absent otherwise. */
  readonly declined?: { readonly topic: string };
}

/**
 * The retrieval's model calls, when a model made them: the question's embedding (its tokens
 * estimated: embedding APIs bill the input) and the reranking.
 */
function retrievalCalls(
  config: InferenceConfig,
  question: string,
  found: { retrieveMs: number; rerankMs?: number },
): ModelCall[] {
  const { embeddings } = config.models;
  const rerank = config.retrieval.rerank;
  return [
    ...(embeddings.provider === "local"
      ? []
      : [
          {
            step: "embed" as const,
            provider: embeddings.provider,
            model: embeddings.modelId,
            inputTokens: estimateTokens(question),
            outputTokens: 0,
            latencyMs: Math.round(found.retrieveMs),
          },
        ]),
    ...(rerank && rerank.provider !== "local" && found.rerankMs !== undefined
      ? [
          {
            step: "rerank" as const,
            provider: rerank.provider,
            model: rerank.modelId,
            inputTokens: 0,
            outputTokens: 0,
            latencyMs: Math.round(found.rerankMs),
          },
        ]
      : []),
  ];
}

/** Times one step: its result, and how long it took in milliseconds. */
async function timed<T>(step: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await step();
  return [result, Math.round((performance.now() - started) * 100) / 100];
}

/**
 * The RAG chain: classify (intent) → condense (a standalone question from the last turns) →
 * retrieve (hybrid) → answer with numbered citations, streamed. Each step (./steps.ts) uses its
 * configured model, or the offline default: rules for classify and condense, the extractive
 * answerer.
 */
export async function* answerQuestion(
  deps: ChainDependencies,
  input: {
    readonly question: string;
    readonly history?: readonly Turn[];
    readonly config: InferenceConfig;
    readonly signal?: AbortSignal;
    /** The collections retrieval may read: the caller's (`readableCollections`), or `"all"` for local tools. */
    readonly collections: RetrievalOptions["collections"];
  },
): AsyncGenerator<ChainEvent> {
  const { config } = input;
  const question = checkedQuestion(input.question, config);
  const context: StepContext = {
    config,
    models: deps.models,
    signal: input.signal,
    nonce: promptNonce(),
    usage: { inputTokens: 0, outputTokens: 0 },
    calls: [],
    guardrailChecker: deps.guardrailChecker,
  };
  const history = (input.history ?? []).slice(-config.historyTurns * 2);
  const { deniedTopics, deniedTopicSimilarity } = config.guardrails;

  // A question about a denied topic is declined before any retrieval or model call: its answer is
  // the topic's message, with no sources.
  // The check and retrieval embed the (standalone) question once between them.
  const embedder = deniedTopics?.length
    ? questionEmbedder(deps.embedder)
    : deps.embedder;
  const declinedFor = async (text: string) =>
    deniedTopics?.length
      ? deniedTopicOf(
          deps.embedder,
          text,
          deniedTopics,
          deniedTopicSimilarity,
          embedder,
        )
      : undefined;
  const decline = (
    topic: { name: string; message: string },
    started: number,
  ) => [
    { type: "token", text: topic.message } as const,
    {
      type: "done",
      result: {
        answer: topic.message,
        standaloneQuestion: question,
        sources: [],
        latencyMs: {
          classify: 0,
          condense: 0,
          retrieve: 0,
          answer: Math.round((performance.now() - started) * 100) / 100,
        },
        usage: context.usage,
        calls: context.calls!,
        extractive: true,
        intent: "question",
        declined: { topic: topic.name },
      },
    } as const,
  ];
  const checking = performance.now();
  const denied = await declinedFor(question);
  if (denied) {
    yield* decline(denied, checking);
    return;
  }

  // A classify model runs beside condense and retrieval, not before them: its round trip is not
  // on the way to the first token. Retrieval then goes ahead as for a question, and small talk
  // drops its passages. Offline, the rule decides at once, and small talk retrieves nothing.
  const classifying = timed(() => classifyIntent(context, question));
  const [standaloneQuestion, condense] = await timed(() =>
    condenseQuestion(context, question, history),
  );
  // A follow-up may be about a denied topic only with the turns before it.
  const deniedInContext =
    standaloneQuestion !== question
      ? await declinedFor(standaloneQuestion)
      : undefined;
  if (deniedInContext) {
    // The classification under way is not needed; its failure must not go unhandled.
    classifying.catch(() => undefined);
    yield* decline(deniedInContext, checking);
    return;
  }
  const retrieving = retrieveSources(
    { ...deps, embedder },
    config,
    standaloneQuestion,
    modelFor(context, "classify") ? "question" : intentByRule(question),
    input.collections,
    input.signal,
  );
  const [[intent, classify], found] = await Promise.all([
    classifying,
    retrieving,
  ]);
  const sources = intent === "chitchat" ? [] : found.passages;
  const answering = performance.now();
  let answer = "";
  for await (const text of answerFrom(context, {
    question: standaloneQuestion,
    sources,
    history,
    intent,
  })) {
    answer += text;
    yield { type: "token", text };
  }
  yield {
    type: "done",
    result: {
      answer,
      standaloneQuestion,
      sources,
      latencyMs: {
        classify,
        condense,
        retrieve: found.retrieveMs,
        ...(found.rerankMs === undefined ? {} : { rerank: found.rerankMs }),
        answer: Math.round((performance.now() - answering) * 100) / 100,
      },
      usage: context.usage,
      calls: [
        ...context.calls!,
        ...retrievalCalls(config, standaloneQuestion, found),
      ],
      extractive: !modelFor(context, "answer"),
      intent,
    },
  };
}
