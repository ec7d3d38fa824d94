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
