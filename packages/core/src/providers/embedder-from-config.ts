import { BedrockEmbedder } from "./bedrock";
import { OpenAICompatibleEmbedder } from "./openai-compatible";
import type { OpenAIKey } from "./openai-key";
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

/** The key binding of the environment (`SEXTANT_OPENAI_API_KEY`, `SEXTANT_OPENAI_API_KEY_ORIGIN`). */
export const openAiKeyBindingFromEnv = (): OpenAIKey => ({
  openAiApiKey: process.env.SEXTANT_OPENAI_API_KEY,
  openAiApiKeyOrigin: process.env.SEXTANT_OPENAI_API_KEY_ORIGIN,
});

/** The key for an endpoint: only its own server's, never whatever endpoint a configuration names. */
export const openAiKeyFor = (
  binding: OpenAIKey,
  endpoint: string,
): string | undefined =>
  binding.openAiApiKey &&
  binding.openAiApiKeyOrigin &&
  new URL(endpoint).origin === new URL(binding.openAiApiKeyOrigin).origin
    ? binding.openAiApiKey
    : undefined;

/** The embedders built so far, by their settings (a handful: one per embedding model in use). */
const built = new Map<string, Embedder>();

/** The configuration's embedder, once the deployment's policy has been checked (see `modelsFromConfig`). */
export function embedderOf(
  config: InferenceConfig,
  binding: OpenAIKey,
): Embedder {
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
  const apiKey = e.endpoint ? openAiKeyFor(binding, e.endpoint) : undefined;
  // One embedder per settings for the process: its client is reused, and what is cached per
  // embedder (a denied topic's example vectors) lasts beyond one question.
  const key = JSON.stringify([
    e.provider,
    e.modelId,
    e.endpoint,
    e.dimensions,
    apiKey,
  ]);
  let embedder = built.get(key);
  if (!embedder) {
    embedder =
      e.provider === "bedrock"
        ? new BedrockEmbedder(e.modelId, e.dimensions)
        : e.provider === "openai-compatible"
          ? new OpenAICompatibleEmbedder(
              { endpoint: e.endpoint!, modelId: e.modelId, apiKey },
              e.dimensions,
            )
          : new LocalEmbedder(e.dimensions);
    built.set(key, embedder);
  }
  return embedder;
}

/**
 * The embedder an inference configuration names, alone: what ingestion needs, without the text
 * models' and rerankers' clients in its bundle.
 */
export function embedderFromConfig(
  config: InferenceConfig,
  binding: OpenAIKey = openAiKeyBindingFromEnv(),
  policy: DeploymentPolicy = deploymentPolicyFromEnv(),
): Embedder {
  // A stored configuration is checked again: the deployment's policy may have tightened since.
  enforceDeploymentPolicy(config, policy);
  return embedderOf(config, binding);
}
