import {
  BedrockRuntimeClient,
  ConverseStreamCommand,
  InvokeModelCommand,
} from "@aws-sdk/client-bedrock-runtime";
import {
  InvokeEndpointCommand,
  SageMakerRuntimeClient,
} from "@aws-sdk/client-sagemaker-runtime";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { BedrockConverseModel, BedrockEmbedder } from "./bedrock";
import { ModelUnavailableError } from "../errors";
import { SageMakerModel } from "./sagemaker";
import type { Prompt } from "../chain/fenced-prompt";
import type { TokenUsage } from "../chain/language-model";

// AWS cannot be reached here: these run against recorded AWS SDK responses (aws-sdk-client-mock).
const bedrock = mockClient(BedrockRuntimeClient);
const sagemaker = mockClient(SageMakerRuntimeClient);
const json = (o: unknown) => new TextEncoder().encode(JSON.stringify(o)) as any;
const throttled = () =>
  Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });

beforeEach(() => {
  bedrock.reset();
  sagemaker.reset();
});

/** Instructions and data in their roles, as the chain's fenced prompts have them. */
const PROMPT: Prompt = {
  system: "Answer from the sources.",
  user: "Why canals?",
};

async function collect(
  model: { generate: (p: Prompt, o: any) => AsyncIterable<string> },
  usage?: TokenUsage,
) {
  const tokens: string[] = [];
  for await (const t of model.generate(PROMPT, {
    maxTokens: 100,
    temperature: 0,
    usage,
  }))
    tokens.push(t);
  return tokens;
}

describe("BedrockConverseModel (recorded AWS SDK responses)", () => {
  it("streams Converse deltas and reads usage from the metadata event", async () => {
    bedrock.on(ConverseStreamCommand).resolves({
      stream: (async function* () {
        yield { messageStart: { role: "assistant" } };
        yield {
          contentBlockDelta: {
            contentBlockIndex: 0,
            delta: { text: "Trade " },
          },
        };
        yield {
          contentBlockDelta: {
            contentBlockIndex: 0,
            delta: { text: "grew [1]." },
          },
        };
        yield { messageStop: { stopReason: "end_turn" } };
        yield {
          metadata: {
            usage: { inputTokens: 120, outputTokens: 4, totalTokens: 124 },
            metrics: { latencyMs: 300 },
          },
        };
      })() as any,
    });
    const usage = { inputTokens: 0, outputTokens: 0 };
    expect(
      await collect(
        new BedrockConverseModel(
          "anthropic.claude-3-haiku",
          new BedrockRuntimeClient({}),
        ),
        usage,
      ),
    ).toEqual(["Trade ", "grew [1]."]);
    expect(usage).toEqual({ inputTokens: 120, outputTokens: 4 });
    expect(
      bedrock.commandCalls(ConverseStreamCommand)[0].args[0].input,
    ).toMatchObject({
      modelId: "anthropic.claude-3-haiku",
      system: [{ text: "Answer from the sources." }],
      messages: [{ role: "user", content: [{ text: "Why canals?" }] }],
      inferenceConfig: { maxTokens: 100, temperature: 0 },
    });
  });

  it("reports a stream that breaks after its first token as the model being unavailable", async () => {
    bedrock.on(ConverseStreamCommand).resolves({
      stream: (async function* () {
        yield {
          contentBlockDelta: {
            contentBlockIndex: 0,
            delta: { text: "Trade " },
          },
        };
        throw Object.assign(new Error("socket hang up"), { name: "Error" });
      })() as any,
    });
    await expect(
      collect(new BedrockConverseModel("m", new BedrockRuntimeClient({}))),
    ).rejects.toThrow(ModelUnavailableError);
  });

  it("retries a throttled call, and gives up after bounded retries", async () => {
    bedrock
      .on(ConverseStreamCommand)
      .rejectsOnce(throttled())
      .resolves({
        stream: (async function* () {
          yield {
            contentBlockDelta: { contentBlockIndex: 0, delta: { text: "ok" } },
          };
        })() as any,
      });
    expect(
      await collect(
        new BedrockConverseModel("m", new BedrockRuntimeClient({})),
      ),
    ).toEqual(["ok"]);
    bedrock.reset();
    bedrock.on(ConverseStreamCommand).rejects(throttled());
    await expect(
      collect(new BedrockConverseModel("m", new BedrockRuntimeClient({}))),
    ).rejects.toThrow(ModelUnavailableError);
    expect(bedrock.commandCalls(ConverseStreamCommand)).toHaveLength(3);
  });
});

describe("BedrockEmbedder (recorded AWS SDK responses)", () => {
  it("embeds with Titan v2, one text per call, asking for the store's dimensions", async () => {
    bedrock.on(InvokeModelCommand).callsFake((input) => ({
      body: json({ embedding: [JSON.parse(input.body).inputText.length, 0] }),
    }));
    const vectors = await new BedrockEmbedder(
      "amazon.titan-embed-text-v2:0",
      2,
      new BedrockRuntimeClient({}),
    ).embed(["a", "bb"]);
    expect(vectors).toEqual([
      [1, 0],
      [2, 0],
    ]);
    expect(
      JSON.parse(
        bedrock.commandCalls(InvokeModelCommand)[0].args[0].input
          .body as string,
      ),
    ).toEqual({ inputText: "a", dimensions: 2, normalize: true });
  });

  it("embeds with Cohere in batches of at most 96", async () => {
    bedrock.on(InvokeModelCommand).callsFake((input) => ({
      body: json({
        embeddings: JSON.parse(input.body).texts.map(() => [1, 2]),
      }),
    }));
    const texts = Array.from({ length: 100 }, (_, i) => `t${i}`);
    expect(
      await new BedrockEmbedder(
        "cohere.embed-english-v3",
        2,
        new BedrockRuntimeClient({}),
      ).embed(texts),
    ).toHaveLength(100);
    expect(
      bedrock
        .commandCalls(InvokeModelCommand)
        .map((c) => JSON.parse(c.args[0].input.body as string).texts.length),
    ).toEqual([96, 4]);
  });
});

describe("SageMakerModel (recorded AWS SDK responses)", () => {
  it("sends a TGI request and yields the generated text", async () => {
    sagemaker
      .on(InvokeEndpointCommand)
      .resolves({ Body: json([{ generated_text: "Because trade [1]." }]) });
    expect(
      await collect(
        new SageMakerModel(
          "mistral-7b",
          "my-endpoint",
          new SageMakerRuntimeClient({}),
        ),
      ),
    ).toEqual(["Because trade [1]."]);
    expect(
      JSON.parse(
        sagemaker.commandCalls(InvokeEndpointCommand)[0].args[0].input
          .Body as string,
      ),
    ).toMatchObject({
      inputs: "Answer from the sources.\n\nWhy canals?",
      parameters: { max_new_tokens: 100, return_full_text: false },
    });
  });
});
