/** Turns texts into vectors of a fixed size; implemented by each provider (local, Bedrock, OpenAI-compatible). */
export interface Embedder {
  /** Identifies the model; stored with the vectors so a model change is detected. */
  readonly modelId: string;
  readonly dimensions: number;
  /** One vector per text, in order. */
  embed(texts: readonly string[]): Promise<number[][]>;
}
