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
  generate(prompt: string, options: GenerateOptions): AsyncIterable<string>;
}

/** Fills `{{placeholders}}` (already validated by the inference-config schema). */
export function renderTemplate(
  template: string,
  values: Readonly<Record<string, string>>,
): string {
  return template.replace(
    /\{\{\s*(\w+)\s*\}\}/g,
    (_m, name: string) => values[name] ?? "",
  );
}

/** Roughly four characters per token: used when a provider does not report usage. */
export const estimateTokens = (text: string): number =>
  Math.ceil(text.length / 4);
