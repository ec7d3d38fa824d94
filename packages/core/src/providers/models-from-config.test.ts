import { describe, expect, it } from "vitest";
import { LocalEmbedder } from "../embeddings/local-embedder";
import { InvalidInputError } from "../errors";
import { BedrockConverseModel } from "./bedrock";
import { modelsFromConfig } from "./models-from-config";
import {
  OpenAICompatibleEmbedder,
  OpenAICompatibleModel,
} from "./openai-compatible";
import type { OpenAIKey } from "./openai-key";
import { SageMakerModel } from "./sagemaker";
import { DEFAULT_INFERENCE_CONFIG } from "../inference-config/defaults";
import type { DeploymentPolicy } from "../inference-config/deployment-policy";
import type { InferenceConfig } from "../inference-config/schema";

/** The local stack's policy: loopback model servers over plain http. */
const LOCAL_POLICY: DeploymentPolicy = {
  maxTokens: 4096,
  endpointOrigins: [],
  allowLoopbackHttp: true,
};

describe("modelsFromConfig", () => {
  it("needs no model for the offline defaults", () => {
    const { models, embedder } = modelsFromConfig(DEFAULT_INFERENCE_CONFIG);
    expect(models).toEqual({});
    expect(embedder).toBeInstanceOf(LocalEmbedder);
  });

  it("builds the provider each step names", () => {
    const config: InferenceConfig = {
      ...DEFAULT_INFERENCE_CONFIG,
      models: {
        classify: {
          provider: "sagemaker",
          modelId: "mistral",
          endpoint: "ep",
          temperature: 0,
          maxTokens: 10,
        },
        condense: {
          provider: "openai-compatible",
          modelId: "llama3",
          endpoint: "http://localhost:11434/v1",
          temperature: 0,
          maxTokens: 10,
        },
        answer: {
          provider: "bedrock",
          modelId: "anthropic.claude-3-haiku",
          temperature: 0,
          maxTokens: 10,
        },
        embeddings: {
          provider: "openai-compatible",
          modelId: "nomic",
          endpoint: "http://localhost:11434/v1",
          dimensions: 384,
        },
      },
    };
    const { models, embedder } = modelsFromConfig(config, {}, LOCAL_POLICY);
    expect(models.classify).toBeInstanceOf(SageMakerModel);
    expect(models.condense).toBeInstanceOf(OpenAICompatibleModel);
    expect(models.answer).toBeInstanceOf(BedrockConverseModel);
    expect(embedder).toBeInstanceOf(OpenAICompatibleEmbedder);
  });

  it("builds one embedder per settings and key, so what an embedder caches outlives a question", () => {
    const openAi = (endpoint: string): InferenceConfig => ({
      ...DEFAULT_INFERENCE_CONFIG,
      models: {
        ...DEFAULT_INFERENCE_CONFIG.models,
        embeddings: {
          provider: "openai-compatible",
          modelId: "nomic",
          endpoint,
          dimensions: 384,
        },
      },
    });
    const key = { openAiApiKey: "k", openAiApiKeyOrigin: "http://127.0.0.1:1" };
    const of = (config: InferenceConfig, binding: OpenAIKey = key) =>
      modelsFromConfig(config, binding, LOCAL_POLICY).embedder;
    expect(of(DEFAULT_INFERENCE_CONFIG)).toBe(of(DEFAULT_INFERENCE_CONFIG));
    const a = of(openAi("http://127.0.0.1:1/v1"));
    expect(of(openAi("http://127.0.0.1:1/v1"))).toBe(a);
    expect(of(openAi("http://127.0.0.1:2/v1"))).not.toBe(a);
    expect(of(openAi("http://127.0.0.1:1/v1"), {})).not.toBe(a);
  });

  it("refuses an embedding size the store does not hold, naming the field", () => {
    const config = {
      ...DEFAULT_INFERENCE_CONFIG,
      models: {
        ...DEFAULT_INFERENCE_CONFIG.models,
        embeddings: {
          provider: "bedrock" as const,
          modelId: "amazon.titan-embed-text-v2:0",
          dimensions: 1024,
        },
      },
    };
    expect(() => modelsFromConfig(config)).toThrow(InvalidInputError);
    try {
      modelsFromConfig(config);
    } catch (e) {
      expect((e as InvalidInputError).fields[0].path).toBe(
        "models.embeddings.dimensions",
      );
    }
  });
});
