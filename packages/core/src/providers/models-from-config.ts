import { BedrockConverseModel, BedrockGuardrailChecker } from "./bedrock";
import { ComprehendPiiRedactor } from "./comprehend-pii";
import {
  embedderOf,
  openAiKeyBindingFromEnv,
  openAiKeyFor,
} from "./embedder-from-config";
import { OpenAICompatibleModel } from "./openai-compatible";
import type { OpenAIKey } from "./openai-key";
import { BedrockReranker, CohereCompatibleReranker } from "./rerankers";
import { SageMakerModel } from "./sagemaker";
import type { LanguageModel } from "../chain/language-model";
import type { Embedder } from "../embeddings/embedder";
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
  env: OpenAIKey = openAiKeyBindingFromEnv(),
  policy: DeploymentPolicy = deploymentPolicyFromEnv(),
): {
  models: Partial<Record<TextStep, LanguageModel>>;
  embedder: Embedder;
  reranker?: Reranker;
  /** The Bedrock guardrail on its own, when one is configured and the answer model is not on Bedrock. */
  guardrailChecker?: BedrockGuardrailChecker;
  /** Amazon Comprehend, when the configuration has it find personal data. */
  piiRedactor?: ComprehendPiiRedactor;
} {
  // A stored configuration is checked again: the deployment's policy may have tightened since.
  enforceDeploymentPolicy(config, policy);
  const keyFor = (endpoint: string) => openAiKeyFor(env, endpoint);
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
  const embedder = embedderOf(config, env);
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
  const guardrail = config.guardrails.bedrock;
  const guardrailChecker =
    guardrail && config.models.answer.provider !== "bedrock"
      ? new BedrockGuardrailChecker(guardrail)
      : undefined;
  return {
    models,
    embedder,
    ...(reranker ? { reranker } : {}),
    ...(guardrailChecker ? { guardrailChecker } : {}),
    ...(config.guardrails.piiDetector === "comprehend"
      ? { piiRedactor: new ComprehendPiiRedactor() }
      : {}),
  };
}
