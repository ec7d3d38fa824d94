import { midStream, RetryableError, withRetries } from "./retry";
import type { Prompt } from "../chain/fenced-prompt";
import type { GenerateOptions, LanguageModel } from "../chain/language-model";
import type { Embedder } from "../embeddings/embedder";

/** Where an OpenAI-compatible server (Ollama, vLLM, …) listens, e.g. `http://localhost:11434/v1`. */
export interface OpenAICompatibleOptions {
  readonly endpoint: string;
  readonly modelId: string;
  readonly apiKey?: string;
  /** Per-request timeout. @default 60 s */
  readonly timeoutMs?: number;
}

async function post(
  options: OpenAICompatibleOptions,
  path: string,
  body: object,
  signal?: AbortSignal,
): Promise<Response> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 60_000);
  const response = await fetch(
    `${options.endpoint.replace(/\/$/, "")}${path}`,
    {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        ...(options.apiKey
          ? { Authorization: `Bearer ${options.apiKey}` }
          : {}),
      },
      body: JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    },
  );
  if (response.status === 429 || response.status >= 500)
    throw new RetryableError(
      `HTTP ${response.status} from ${options.endpoint}`,
    );
  if (!response.ok)
    throw new Error(
      `HTTP ${response.status} from ${options.endpoint}: ${(await response.text()).slice(0, 200)}`,
    );
  return response;
}

/** Server-sent events (`data: …` lines) of a streamed response body. */
async function* serverSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, end).trim();
      buffer = buffer.slice(end + 1);
      if (line.startsWith("data:")) yield line.slice(5).trim();
    }
  }
}

/** A chat model on an OpenAI-compatible server, streamed (`/chat/completions` with `stream: true`). */
export class OpenAICompatibleModel implements LanguageModel {
  readonly modelId: string;
  constructor(private readonly options: OpenAICompatibleOptions) {
    this.modelId = options.modelId;
  }

  async *generate(
    prompt: Prompt,
    options: GenerateOptions,
  ): AsyncIterable<string> {
    const response = await withRetries(`Model ${this.modelId}`, () =>
      post(
        this.options,
        "/chat/completions",
        {
          model: this.modelId,
          messages: [
            { role: "system", content: prompt.system },
            { role: "user", content: prompt.user },
          ],
          max_tokens: options.maxTokens,
          temperature: options.temperature,
          stream: true,
          stream_options: { include_usage: true },
        },
        options.signal,
      ),
    );
    for await (const data of midStream(
      `Model ${this.modelId}`,
      serverSentEvents(response.body!),
      options.signal,
    )) {
      if (data === "[DONE]") break;
      const event = JSON.parse(data) as {
        choices?: { delta?: { content?: string } }[];
        usage?: { prompt_tokens: number; completion_tokens: number };
      };
      const text = event.choices?.[0]?.delta?.content;
      if (text) yield text;
      if (event.usage && options.usage) {
        options.usage.inputTokens = event.usage.prompt_tokens;
        options.usage.outputTokens = event.usage.completion_tokens;
      }
    }
  }
}

/** Embeddings from an OpenAI-compatible server (`/embeddings`). */
export class OpenAICompatibleEmbedder implements Embedder {
  readonly modelId: string;
  constructor(
    private readonly options: OpenAICompatibleOptions,
    readonly dimensions: number,
  ) {
    this.modelId = options.modelId;
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    const response = await withRetries(`Embedding model ${this.modelId}`, () =>
      post(this.options, "/embeddings", { model: this.modelId, input: texts }),
    );
    const body = (await response.json()) as {
      data: { index: number; embedding: number[] }[];
    };
    const vectors = [...body.data]
      .sort((a, b) => a.index - b.index)
      .map((d) => d.embedding);
    for (const v of vectors) {
      if (v.length !== this.dimensions)
        throw new Error(
          `${this.modelId} returned ${v.length} dimensions; the store expects ${this.dimensions}.`,
        );
    }
    return vectors;
  }
}
