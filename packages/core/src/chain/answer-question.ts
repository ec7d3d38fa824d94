import type { Database } from "../db/database";
import type { Embedder } from "../embeddings/embedder";
import { contentWords } from "../embeddings/text-features";
import { InvalidInputError } from "../errors";
import { extractiveAnswer } from "./extractive-answer";
import {
  fencedPrompt,
  numberedSources,
  promptNonce,
  promptText,
  type Prompt,
} from "./fenced-prompt";
import {
  estimateTokens,
  type LanguageModel,
  type TokenUsage,
} from "./language-model";
import type { InferenceConfig } from "../inference-config/schema";
import {
  isRelevant,
  retrieveHybrid,
  type RetrievedChunk,
} from "../retrieval/retrieve-hybrid";

/** One earlier turn of the conversation. */
export interface Turn {
  readonly role: "user" | "assistant";
  readonly content: string;
}

/** What the chain needs: storage, the embedder, and a model per step (absent: the offline default). */
export interface ChainDependencies {
  readonly db: Database;
  readonly embedder: Embedder;
  /** Models by chain step; a step with `provider: "extractive"` needs none. */
  readonly models?: Partial<
    Record<"classify" | "condense" | "answer", LanguageModel>
  >;
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
  /** Milliseconds per step. */
  readonly latencyMs: {
    classify: number;
    condense: number;
    retrieve: number;
    answer: number;
  };
  readonly usage: TokenUsage;
  /** True when no language model wrote the answer (the offline default). */
  readonly extractive: boolean;
  readonly intent: "question" | "chitchat";
}

const CHITCHAT =
  /^(hi|hello|hey|thanks|thank you|good (morning|afternoon|evening)|bye)\b[\s!.?]*$/i;
const FOLLOW_UP =
  /\b(it|its|that|this|those|these|they|them|he|she|his|her|there|then)\b/i;

async function collect(stream: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const token of stream) text += token;
  return text;
}

/**
 * The RAG chain: classify (intent) → condense (a standalone question from the last turns) →
 * retrieve (hybrid) → answer with numbered citations, streamed. Each step uses its configured
 * model, or the offline default: rules for classify and condense, the extractive answerer.
 */
export async function* answerQuestion(
  deps: ChainDependencies,
  input: {
    readonly question: string;
    readonly history?: readonly Turn[];
    readonly config: InferenceConfig;
    readonly signal?: AbortSignal;
  },
): AsyncGenerator<ChainEvent> {
  const { config } = input;
  const question = input.question.trim();
  if (!question)
    throw new InvalidInputError("The question is empty.", [
      { path: "question", message: "must not be empty" },
    ]);
  if (question.length > config.guardrails.maxQuestionLength) {
    throw new InvalidInputError(
      `The question is longer than ${config.guardrails.maxQuestionLength} characters.`,
      [
        {
          path: "question",
          message: `at most ${config.guardrails.maxQuestionLength} characters`,
        },
      ],
    );
  }
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  // One nonce for this request's prompt markers: no document or earlier answer can know it.
  const nonce = promptNonce();
  const call = async (
    step: "classify" | "condense",
    prompt: Prompt,
  ): Promise<string | undefined> => {
    const model =
      config.models[step].provider === "extractive"
        ? undefined
        : deps.models?.[step];
    if (!model) return undefined;
    const stepUsage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    const text = await collect(
      model.generate(prompt, {
        ...config.models[step],
        signal: input.signal,
        usage: stepUsage,
      }),
    );
    usage.inputTokens +=
      stepUsage.inputTokens || estimateTokens(promptText(prompt));
    usage.outputTokens += stepUsage.outputTokens || estimateTokens(text);
    return text;
  };
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = Math.round((now - t) * 100) / 100;
    t = now;
    return ms;
  };

  // classify
  let intent: ChainResult["intent"] = CHITCHAT.test(question)
    ? "chitchat"
    : "question";
  const classified = await call(
    "classify",
    fencedPrompt(config.prompts.classify, { question }, nonce),
  );
  if (classified) {
    try {
      intent =
        (
          JSON.parse(
            classified.slice(
              classified.indexOf("{"),
              classified.lastIndexOf("}") + 1,
            ),
          ) as { intent?: string }
        ).intent === "chitchat"
          ? "chitchat"
          : "question";
    } catch {
      // An unparseable classification leaves the rule-based one.
    }
  }
  const classifyMs = lap();

  // condense
  const history = (input.history ?? []).slice(-config.historyTurns * 2);
  let standaloneQuestion = question;
  if (history.length > 0) {
    const historyText = history
      .map((h) => `${h.role}: ${h.content}`)
      .join("\n");
    const condensed = await call(
      "condense",
      fencedPrompt(
        config.prompts.condense,
        { question, history: historyText },
        nonce,
      ),
    );
    if (condensed?.trim()) standaloneQuestion = condensed.trim();
    else if (FOLLOW_UP.test(question) || contentWords(question).length < 3) {
      // Offline: a follow-up borrows the words of the previous question.
      const previous = [...history].reverse().find((h) => h.role === "user");
      if (previous) standaloneQuestion = `${previous.content} ${question}`;
    }
  }
  const condenseMs = lap();

  // retrieve
  const sources =
    intent === "chitchat"
      ? []
      : (
          await retrieveHybrid(
            deps.db,
            deps.embedder,
            standaloneQuestion,
            config.retrieval,
          )
        ).filter((s) => isRelevant(s));
  const retrieveMs = lap();

  // answer
  const answerModel =
    config.models.answer.provider === "extractive"
      ? undefined
      : deps.models?.answer;
  let answer = "";
  if (intent === "chitchat" && !answerModel) {
    answer =
      "Hello! Ask me a question about your documents and I will answer with the passages that support it.";
    yield { type: "token", text: answer };
  } else if (
    !answerModel ||
    (config.guardrails.requireSources && sources.length === 0)
  ) {
    answer =
      sources.length === 0
        ? "I found nothing in the documents about this."
        : extractiveAnswer(standaloneQuestion, sources);
    yield { type: "token", text: answer };
  } else {
    const prompt = fencedPrompt(
      config.prompts.answer,
      {
        question: standaloneQuestion,
        sources: numberedSources(sources),
        history: history.map((h) => `${h.role}: ${h.content}`).join("\n"),
      },
      nonce,
    );
    const stepUsage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    for await (const token of answerModel.generate(prompt, {
      ...config.models.answer,
      signal: input.signal,
      usage: stepUsage,
    })) {
      answer += token;
      yield { type: "token", text: token };
    }
    usage.inputTokens +=
      stepUsage.inputTokens || estimateTokens(promptText(prompt));
    usage.outputTokens += stepUsage.outputTokens || estimateTokens(answer);
  }
  const answerMs = lap();

  yield {
    type: "done",
    result: {
      answer,
      standaloneQuestion,
      sources,
      latencyMs: {
        classify: classifyMs,
        condense: condenseMs,
        retrieve: retrieveMs,
        answer: answerMs,
      },
      usage,
      extractive: !answerModel,
      intent,
    },
  };
}
