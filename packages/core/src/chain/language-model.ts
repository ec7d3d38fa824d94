import type { Prompt } from "./fenced-prompt";

/** Token counts of one model call. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** How to generate: limits, cancellation, and where to report token usage. */
export interface GenerateOptions {
  readonly maxTokens: number;
  readonly temperature: number;
  readonly signal?: AbortSignal;
  /** Filled in when the stream ends, when the provider reports usage. */
  readonly usage?: TokenUsage;
  /** A Bedrock guardrail the call applies, where the provider supports it (Converse). */
  readonly guardrail?: BedrockGuardrail;
}

/** A Bedrock guardrail, as the configuration names it (`guardrails.bedrock`). */
export interface BedrockGuardrail {
  /** The guardrail's id or ARN. */
  readonly guardrailIdentifier: string;
  /** A version number, or `DRAFT`. */
  readonly guardrailVersion: string;
  /** Whether Bedrock returns its trace (logged for administrators). */
  readonly trace: boolean;
}

/** A text model behind one small interface: Bedrock Converse, SageMaker, OpenAI-compatible servers. */
export interface LanguageModel {
  readonly modelId: string;
  /** Streams the completion of `prompt` token by token; `usage` is filled in when the stream ends. */
  generate(prompt: Prompt, options: GenerateOptions): AsyncIterable<string>;
}

/** Roughly four characters per token: used when a provider does not report usage. */
export const estimateTokens = (text: string): number =>
  Math.ceil(text.length / 4);
