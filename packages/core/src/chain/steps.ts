import { extractiveAnswer } from "./extractive-answer";
import {
  fencedPrompt,
  numberedSources,
  promptText,
  type Prompt,
} from "./fenced-prompt";
import {
  estimateTokens,
  type LanguageModel,
  type TokenUsage,
} from "./language-model";
import { FRAMING, questionLanguage } from "./question-language";
import type { Database } from "../db/database";
import type { Embedder } from "../embeddings/embedder";
import { contentWords } from "../embeddings/text-features";
import { InvalidInputError } from "../errors";
import type { InferenceConfig } from "../inference-config/schema";
import {
  retrievePassages,
  type Reranker,
  type Retrieval,
} from "../retrieval/rerank";
import {
  isRelevant,
  type RetrievalOptions,
  type RetrievedChunk,
} from "../retrieval/retrieve-hybrid";

/** One earlier turn of the conversation. */
export interface Turn {
  readonly role: "user" | "assistant";
  readonly content: string;
}

/** What a question is: one about the documents, or small talk that needs no retrieval. */
export type Intent = "question" | "chitchat";

/** A chain step that may call a model. */
export type ModelStep = "classify" | "condense" | "answer";

/** What every step of one request shares: its configuration, models, cancellation and the token count. */
export interface StepContext {
  readonly config: InferenceConfig;
  /** Models by step; a step whose provider is `extractive`, or that has none here, runs offline. */
  readonly models?: Partial<Record<ModelStep, LanguageModel>>;
  readonly signal?: AbortSignal;
  /** This request's prompt-marker nonce: no document or earlier answer can know it. */
  readonly nonce: string;
  /** Tokens in and out of every model call of the request, added to as they happen. */
  readonly usage: TokenUsage;
  /** Each model call of the request, as it ends: what usage metering records. */
  readonly calls?: ModelCall[];
  /**
   * The configuration's Bedrock guardrail applied on its own, when the answer model is not on
   * Bedrock (whose Converse call applies it itself).
   */
  readonly guardrailChecker?: GuardrailChecker;
}

/** Applies a guardrail to a question (`input`) or an answer (`output`); throws when it intervenes. */
export interface GuardrailChecker {
  check(
    on: "input" | "output",
    text: string,
    signal?: AbortSignal,
  ): Promise<void>;
}

const CHITCHAT =
  /^(hi|hello|hey|thanks|thank you|good (morning|afternoon|evening)|bye)\b[\s!.?]*$/i;
const FOLLOW_UP =
  /\b(it|its|that|this|those|these|they|them|he|she|his|her|there|then)\b/i;

/** The answer to small talk when no model answers. */
export const GREETING =
  "Hello! Ask me a question about your documents and I will answer with the passages that support it.";
/** The answer when retrieval found nothing relevant (in English; {@link FRAMING} has the others). */
export const NOTHING_FOUND = FRAMING.en.nothingFound;

/** The question, trimmed; 400 naming `question` when it is empty or longer than the guardrail. */
export function checkedQuestion(text: string, config: InferenceConfig): string {
  const question = text.trim();
  const max = config.guardrails.maxQuestionLength;
  if (!question)
    throw new InvalidInputError("The question is empty.", [
      { path: "question", message: "must not be empty" },
    ]);
  if (question.length > max)
    throw new InvalidInputError(
      `The question is longer than ${max} characters.`,
      [{ path: "question", message: `at most ${max} characters` }],
    );
  return question;
}

/** The step's model, unless the configuration says it runs offline. */
export function modelFor(
  context: Pick<StepContext, "config" | "models">,
  step: ModelStep,
): LanguageModel | undefined {
  return context.config.models[step].provider === "extractive"
    ? undefined
    : context.models?.[step];
}

/** One metered model call: the step, the model, tokens in and out, and how long it took. */
export interface ModelCall {
  readonly step: ModelStep | "embed" | "rerank";
  readonly provider: string;
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly latencyMs: number;
}

/**
 * Streams one model call's tokens and adds its usage to the request's: the provider's counts
 * when it reports them, an estimate from the prompt and the text otherwise.
 */
export async function* meteredGenerate(
  context: StepContext,
  step: ModelStep,
  model: LanguageModel,
  prompt: Prompt,
): AsyncGenerator<string> {
  const reported: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  let text = "";
  const { guardrails, models } = context.config;
  const started = performance.now();
  for await (const token of model.generate(prompt, {
    ...models[step],
    signal: context.signal,
    usage: reported,
    // The answer step's Converse call applies the configuration's Bedrock guardrail.
    ...(step === "answer" &&
    guardrails.bedrock &&
    models.answer.provider === "bedrock"
      ? { guardrail: guardrails.bedrock }
      : {}),
  })) {
    text += token;
    yield token;
  }
  const inputTokens =
    reported.inputTokens || estimateTokens(promptText(prompt));
  const outputTokens = reported.outputTokens || estimateTokens(text);
  context.usage.inputTokens += inputTokens;
  context.usage.outputTokens += outputTokens;
  context.calls?.push({
    step,
    provider: models[step].provider,
    model: models[step].modelId,
    inputTokens,
    outputTokens,
    latencyMs: Math.round(performance.now() - started),
  });
}

/** A whole completion of the step's model, or undefined when the step runs offline. */
async function complete(
  context: StepContext,
  step: "classify" | "condense",
  prompt: Prompt,
): Promise<string | undefined> {
  const model = modelFor(context, step);
  if (!model) return undefined;
  let text = "";
  for await (const token of meteredGenerate(context, step, model, prompt))
    text += token;
  return text;
}

/** The offline classification: a greeting alone is small talk, anything else a question. */
export const intentByRule = (question: string): Intent =>
  CHITCHAT.test(question) ? "chitchat" : "question";

/**
 * Classify: small talk or a question. The model's `{"intent": …}` when a classify model is
 * configured and answers in that shape; the rule (a greeting alone is small talk) otherwise.
 */
export async function classifyIntent(
  context: StepContext,
  question: string,
): Promise<Intent> {
  const byRule = intentByRule(question);
  const answer = await complete(
    context,
    "classify",
    fencedPrompt(context.config.prompts.classify, { question }, context.nonce),
  );
  if (!answer) return byRule;
  try {
    const json = answer.slice(answer.indexOf("{"), answer.lastIndexOf("}") + 1);
    return (JSON.parse(json) as { intent?: string }).intent === "chitchat"
      ? "chitchat"
      : "question";
  } catch {
    return byRule; // An unparseable classification leaves the rule's.
  }
}

/** The conversation as the prompts show it: one `role: content` line per turn. */
export const historyText = (history: readonly Turn[]): string =>
  history.map((h) => `${h.role}: ${h.content}`).join("\n");

/**
 * Condense: the question made standalone from the recent turns. The condense model's rewrite
 * when one is configured; offline, a follow-up (a pronoun, or fewer than three content words)
 * borrows the words of the previous question. Without history the question stands as asked.
 */
export async function condenseQuestion(
  context: StepContext,
  question: string,
  history: readonly Turn[],
): Promise<string> {
  if (history.length === 0) return question;
  const condensed = await complete(
    context,
    "condense",
    fencedPrompt(
      context.config.prompts.condense,
      { question, history: historyText(history) },
      context.nonce,
    ),
  );
  if (condensed?.trim()) return condensed.trim();
  if (FOLLOW_UP.test(question) || contentWords(question).length < 3) {
    const previous = [...history].reverse().find((h) => h.role === "user");
    if (previous) return `${previous.content} ${question}`;
  }
  return question;
}

/**
 * Retrieve (and rerank, when the configuration has a reranker): the relevant passages for a
 * question, none for small talk, with each step's milliseconds.
 */
export async function retrieveSources(
  deps: {
    readonly db: Database;
    readonly embedder: Embedder;
    readonly reranker?: Reranker;
  },
  config: InferenceConfig,
  question: string,
  intent: Intent,
  collections: RetrievalOptions["collections"],
  signal?: AbortSignal,
): Promise<Retrieval> {
  if (intent === "chitchat") return { passages: [], retrieveMs: 0 };
  const found = await retrievePassages(deps, question, {
    ...config.retrieval,
    collections,
    signal,
  });
  return { ...found, passages: found.passages.filter((s) => isRelevant(s)) };
}

/**
 * Answer: streamed by the answer model from the fenced prompt with numbered sources; offline —
 * or when sources are required and none were found — the extractive answer (quotes of the best
 * passages), the greeting for small talk, or "nothing found". A Bedrock guardrail applied on its
 * own checks the question first and the whole answer last.
 */
export async function* answerFrom(
  context: StepContext,
  input: {
    readonly question: string;
    readonly sources: readonly RetrievedChunk[];
    readonly history: readonly Turn[];
    readonly intent: Intent;
  },
): AsyncGenerator<string> {
  const model = modelFor(context, "answer");
  const checker = context.guardrailChecker;
  await checker?.check("input", input.question, context.signal);
  let answer = "";
  for await (const text of answerText(context, model, input)) {
    answer += text;
    yield text;
  }
  // Streamed as it came; stored only if the guardrail lets the whole answer through.
  await checker?.check("output", answer, context.signal);
}

/** The answer's text, by the model or offline (see {@link answerFrom}). */
async function* answerText(
  context: StepContext,
  model: LanguageModel | undefined,
  input: Parameters<typeof answerFrom>[1],
): AsyncGenerator<string> {
  const { question, sources } = input;
  if (input.intent === "chitchat" && !model) {
    yield GREETING;
  } else if (
    !model ||
    (context.config.guardrails.requireSources && sources.length === 0)
  ) {
    yield sources.length === 0
      ? FRAMING[questionLanguage(question)].nothingFound
      : extractiveAnswer(question, sources);
  } else {
    const prompt = fencedPrompt(
      context.config.prompts.answer,
      {
        question,
        sources: numberedSources(sources),
        history: historyText(input.history),
      },
      context.nonce,
    );
    yield* meteredGenerate(context, "answer", model, prompt);
  }
}
