import { BedrockConverseModel, BedrockEmbedder } from "./bedrock";
import {
  OpenAICompatibleEmbedder,
  OpenAICompatibleModel,
} from "./openai-compatible";
import { BedrockReranker, CohereCompatibleReranker } from "./rerankers";
import { SageMakerModel } from "./sagemaker";
import type { LanguageModel } from "../chain/language-model";
import { EMBEDDING_DIMENSIONS } from "../db/migrations";
import type { Embedder } from "../embeddings/embedder";
import { LocalEmbedder } from "../embeddings/local-embedder";
import { InvalidInputError } from "../errors";
import {
  deploymentPolicyFromEnv,
  enforceDeploymentPolicy,
  type DeploymentPolicy,
} from "../inference-config/deployment-policy";
import type { InferenceConfig } from "../inference-config/schema";
import { LocalReranker, type Reranker } from "../retrieval/rerank";

type TextStep = "classify" | "condense" | "answer";

/**
 * The models an inference configuration names: one per text step (none for `extractive`), the
 * embedder, and the reranker when retrieval has one.
 */
export function modelsFromConfig(
  config: InferenceConfig,
  env: {
    readonly openAiApiKey?: string;
    /** The one origin the key may be sent to. */
    readonly openAiApiKeyOrigin?: string;
  } = {
    openAiApiKey: process.env.SEXTANT_OPENAI_API_KEY,
    openAiApiKeyOrigin: process.env.SEXTANT_OPENAI_API_KEY_ORIGIN,
  },
  policy: DeploymentPolicy = deploymentPolicyFromEnv(),
): {
  models: Partial<Record<TextStep, LanguageModel>>;
  embedder: Embedder;
  reranker?: Reranker;
} {
  // A stored configuration is checked again: the deployment's policy may have tightened since.
  enforceDeploymentPolicy(config, policy);
  // The key goes to its own server only, never to whatever endpoint a configuration names.
  const keyFor = (endpoint: string) =>
    env.openAiApiKey &&
    env.openAiApiKeyOrigin &&
    new URL(endpoint).origin === new URL(env.openAiApiKeyOrigin).origin
      ? env.openAiApiKey
      : undefined;
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
        apiKey: keyFor(m.endpoint!),
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
              apiKey: keyFor(e.endpoint!),
            },
            e.dimensions,
          )
        : new LocalEmbedder(e.dimensions);
  const r = config.retrieval.rerank;
  const reranker =
    r?.provider === "bedrock"
      ? new BedrockReranker(r.modelId)
      : r?.provider === "cohere-compatible"
        ? new CohereCompatibleReranker({
            endpoint: r.endpoint!,
            modelId: r.modelId,
            apiKey: keyFor(r.endpoint!),
          })
        : r?.provider === "local"
          ? new LocalReranker()
          : undefined;
  return { models, embedder, ...(reranker ? { reranker } : {}) };
}
