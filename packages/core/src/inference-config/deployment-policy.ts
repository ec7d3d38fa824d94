import { InvalidInputError, type FieldError } from "../errors";
import type { InferenceConfig } from "./schema";

/**
 * What the deployment allows any inference configuration, beyond its schema: set by whoever
 * deploys (environment, from CDK context on AWS), never by administrators at run time.
 */
export interface DeploymentPolicy {
  /** The ceiling on every text step's `maxTokens` (cost and time per answer). */
  readonly maxTokens: number;
  /** Origins (`https://host[:port]`) a model endpoint may be at. */
  readonly endpointOrigins: readonly string[];
  /** Whether plain http to a loopback address is allowed (the local stack's model servers). */
  readonly allowLoopbackHttp: boolean;
  /**
   * Whether a configuration change is saved only with an evaluation that shows retrieval no worse
   * (`checkQualityGate`). @default false
   */
  readonly qualityGate?: boolean;
}

/** The ceiling on `maxTokens` when the deployment sets none. */
export const DEFAULT_MAX_TOKENS_CEILING = 4_096;

/**
 * The policy from the environment: `SEXTANT_MAX_TOKENS` (a whole number), `SEXTANT_MODEL_ENDPOINT_ORIGINS`
 * (comma-separated origins), `SEXTANT_ALLOW_LOOPBACK_ENDPOINTS=true` (set by the local stack) and
 * `SEXTANT_QUALITY_GATE=retrieval`.
 */
export function deploymentPolicyFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): DeploymentPolicy {
  const maxTokens = Number(
    env.SEXTANT_MAX_TOKENS ?? DEFAULT_MAX_TOKENS_CEILING,
  );
  return {
    maxTokens:
      Number.isInteger(maxTokens) && maxTokens > 0
        ? maxTokens
        : DEFAULT_MAX_TOKENS_CEILING,
    endpointOrigins: (env.SEXTANT_MODEL_ENDPOINT_ORIGINS ?? "")
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean)
      // As URL.origin writes them (lower-case host, no default port), to compare like with like.
      .map((o) => (URL.canParse(o) ? new URL(o).origin : o)),
    allowLoopbackHttp: env.SEXTANT_ALLOW_LOOPBACK_ENDPOINTS === "true",
    qualityGate: env.SEXTANT_QUALITY_GATE === "retrieval",
  };
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** Whether an endpoint URL is one the policy allows; the reason when it is not. */
export function endpointProblem(
  endpoint: string,
  policy: DeploymentPolicy,
): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "must be an absolute URL";
  }
  if (url.username || url.password)
    return "must not carry credentials in the URL";
  const loopback = LOOPBACK.test(url.hostname);
  if (url.protocol === "http:" && loopback && policy.allowLoopbackHttp)
    return undefined;
  if (url.protocol !== "https:")
    return "must use https (plain http only to a loopback address, locally)";
  if (!policy.endpointOrigins.includes(url.origin))
    return `origin ${url.origin} is not one this deployment allows (context key modelEndpointOrigins; allowed: ${policy.endpointOrigins.join(", ") || "none"})`;
  return undefined;
}

/** Every way `config` exceeds the deployment's policy, each naming its field (400). */
export function deploymentPolicyProblems(
  config: InferenceConfig,
  policy: DeploymentPolicy,
): FieldError[] {
  const problems: FieldError[] = [];
  for (const step of ["classify", "condense", "answer"] as const) {
    const m = config.models[step];
    if (m.maxTokens > policy.maxTokens)
      problems.push({
        path: `models.${step}.maxTokens`,
        message: `must be at most ${policy.maxTokens}, this deployment's ceiling`,
      });
  }
  for (const step of [
    "classify",
    "condense",
    "answer",
    "embeddings",
  ] as const) {
    // A SageMaker `endpoint` is an endpoint name, which IAM confines to the declared ones.
    const { provider, endpoint } = config.models[step];
    if (provider !== "openai-compatible") continue;
    const problem = endpoint && endpointProblem(endpoint, policy);
    if (problem)
      problems.push({ path: `models.${step}.endpoint`, message: problem });
  }
  const rerank = config.retrieval.rerank;
  const rerankProblem =
    rerank?.provider === "cohere-compatible" &&
    rerank.endpoint &&
    endpointProblem(rerank.endpoint, policy);
  if (rerankProblem)
    problems.push({
      path: "retrieval.rerank.endpoint",
      message: rerankProblem,
    });
  return problems;
}

/** Throws {@link InvalidInputError} naming each field of `config` the deployment does not allow. */
export function enforceDeploymentPolicy(
  config: InferenceConfig,
  policy: DeploymentPolicy = deploymentPolicyFromEnv(),
  prefix = "",
): InferenceConfig {
  const problems = deploymentPolicyProblems(config, policy);
  if (problems.length)
    throw new InvalidInputError(
      "The inference configuration goes beyond what this deployment allows.",
      problems.map((p) => ({ ...p, path: `${prefix}${p.path}` })),
    );
  return config;
}
