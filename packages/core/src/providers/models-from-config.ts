import { BedrockConverseModel, BedrockEmbedder } from "./bedrock";
import {
  OpenAICompatibleEmbedder,
  OpenAICompatibleModel,
} from "./openai-compatible";
import { SageMakerModel } from "./sagemaker";
import type { LanguageModel } from "../chain/language-model";
import { EMBEDDING_DIMENSIONS } from "../db/migrations";
import type { Embedder } from "../embeddings/embedder";
import { LocalEmbedder } from "../embeddings/local-embedder";
import { InvalidInputError } from "../errors";
import type { InferenceConfig } from "../inference-config/schema";

type TextStep = "classify" | "condense" | "answer";

/** The models an inference configuration names: one per text step (none for `extractive`) and the embedder. */
export function modelsFromConfig(
  config: InferenceConfig,
  env: { readonly openAiApiKey?: string } = {
    openAiApiKey: process.env.SEXTANT_OPENAI_API_KEY,
  },
): { models: Partial<Record<TextStep, LanguageModel>>; embedder: Embedder } {
  const models: Partial<Record<TextStep, LanguageModel>> = {};
  for (const step of ["classify", "condense", "answer"] as const) {
    const m = config.models[step];
    if (m.provider === "bedrock")
      models[step] = new BedrockConverseModel(m.modelId);
    if (m.provider === "sagemaker")
      models[step] = new SageMakerModel(m.modelId, m.endpoint!);
    if (m.provider === "openai-compatible") {
      models[step] = new OpenAICompatibleModel({
        endpoint: m.endpoint!,
        modelId: m.modelId,
        apiKey: env.openAiApiKey,
      });
    }
  }
  const e = config.models.embeddings;
  if (e.dimensions !== EMBEDDING_DIMENSIONS) {
    throw new InvalidInputError(
      `The store holds ${EMBEDDING_DIMENSIONS}-dimension vectors; this embedding model is set to ${e.dimensions}.`,
      [
        {
          path: "models.embeddings.dimensions",
          message: `must be ${EMBEDDING_DIMENSIONS} for the current store`,
        },
      ],
    );
  }
  const embedder =
    e.provider === "bedrock"
      ? new BedrockEmbedder(e.modelId, e.dimensions)
      : e.provider === "openai-compatible"
        ? new OpenAICompatibleEmbedder(
            {
              endpoint: e.endpoint!,
              modelId: e.modelId,
              apiKey: env.openAiApiKey,
            },
            e.dimensions,
          )
        : new LocalEmbedder(e.dimensions);
  return { models, embedder };
}
