import {
  BedrockRuntimeClient,
  ConverseStreamCommand,
  InvokeModelCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { MODEL_CLIENT_LIMITS } from "../aws-client-config";
import { midStream, withRetries } from "./retry";
import type { Prompt } from "../chain/fenced-prompt";
import type { GenerateOptions, LanguageModel } from "../chain/language-model";
import type { Embedder } from "../embeddings/embedder";

/** A text model on Amazon Bedrock through the Converse API, streamed. */
export class BedrockConverseModel implements LanguageModel {
  constructor(
    readonly modelId: string,
    private readonly client: BedrockRuntimeClient = new BedrockRuntimeClient({
      ...MODEL_CLIENT_LIMITS,
    }),
  ) {}

  async *generate(
    prompt: Prompt,
    options: GenerateOptions,
  ): AsyncIterable<string> {
    const response = await withRetries(`Bedrock model ${this.modelId}`, () =>
      this.client.send(
        new ConverseStreamCommand({
          modelId: this.modelId,
          // Instructions in the system role; data only in the user message.
          // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
          system: [{ text: prompt.system }],
          messages: [{ role: "user", content: [{ text: prompt.user }] }],
          inferenceConfig: {
            maxTokens: options.maxTokens,
            temperature: options.temperature,
          },
        }),
        { abortSignal: options.signal },
      ),
    );
    for await (const event of midStream(
      `Bedrock model ${this.modelId}`,
      response.stream ?? [],
      options.signal,
    )) {
      const text = event.contentBlockDelta?.delta?.text;
      if (text) yield text;
      const usage = event.metadata?.usage;
      if (usage && options.usage) {
        options.usage.inputTokens = usage.inputTokens ?? 0;
        options.usage.outputTokens = usage.outputTokens ?? 0;
      }
    }
  }
}

/** Embeddings on Amazon Bedrock: Titan Text Embeddings v2 (one text per call) or Cohere Embed (batches of up to 96). */
export class BedrockEmbedder implements Embedder {
  constructor(
    readonly modelId: string,
    readonly dimensions: number,
    private readonly client: BedrockRuntimeClient = new BedrockRuntimeClient({
      ...MODEL_CLIENT_LIMITS,
    }),
  ) {}

  private async invoke(body: object): Promise<unknown> {
    const response = await withRetries(
      `Bedrock embedding model ${this.modelId}`,
      () =>
        this.client.send(
          new InvokeModelCommand({
            modelId: this.modelId,
            contentType: "application/json",
            accept: "application/json",
            body: JSON.stringify(body),
          }),
        ),
    );
    return JSON.parse(new TextDecoder().decode(response.body));
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    if (this.modelId.startsWith("cohere.")) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += 96) {
        const body = (await this.invoke({
          texts: texts.slice(i, i + 96),
          input_type: "search_document",
          truncate: "END",
        })) as { embeddings: number[][] };
        out.push(...body.embeddings);
      }
      return out;
    }
    return Promise.all(
      texts.map(
        async (inputText) =>
          (
            (await this.invoke({
              inputText,
              dimensions: this.dimensions,
              normalize: true,
            })) as { embedding: number[] }
          ).embedding,
      ),
    );
  }
}
