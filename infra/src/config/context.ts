import type { BulkIngestion } from "../constructs/ingestion";
import {
  checkModelAccess,
  type ModelAccessProps,
} from "../constructs/model-access";
import type { GeoRestriction } from "../constructs/website";

/** What `cdk synth -c key=value` may set (documented in docs/deploy.md). */
export interface SextantContext {
  readonly stage?: string;
  readonly domain?: {
    readonly domainName: string;
    readonly certificateArn: string;
  };
  readonly geoRestriction?: GeoRestriction;
  readonly devTools: boolean;
  readonly natGateway: boolean;
  readonly allowedOrigins?: string[];
  /** The models the deployment may call: IAM grants and VPC endpoints follow. */
  readonly models?: ModelAccessProps;
  /** Bulk ingestion's Distributed Map, overriding the stage's. */
  readonly ingestion?: BulkIngestion;
  /** Deploy through the delivery pipeline instead of directly. */
  readonly pipeline?: {
    readonly codeConnectionArn: string;
    readonly repository: string;
    readonly branch?: string;
  };
}

const list = (value: unknown): string[] | undefined =>
  typeof value === "string" && value.trim()
    ? value
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean)
    : Array.isArray(value)
      ? value.map(String)
      : undefined;

/**
 * Reads and checks the context keys: `stage`, `domainName` + `certificateArn` (both or neither),
 * `geoAllow` or `geoDeny` (comma-separated ISO country codes, not both), `devTools` (true/false),
 * `allowedOrigins` (comma-separated https origins), `ingestMaxConcurrency`, `ingestItemsPerBatch`,
 * `ingestToleratedFailurePercentage` (whole numbers), `bedrockModels`, `bedrockEmbeddingModels`
 * (comma-separated Bedrock model or inference-profile ids), `sagemakerEndpoints` (comma-separated
 * endpoint names), `modelEndpointOrigins` (comma-separated https origins of OpenAI-compatible
 * servers), `maxTokens` (the ceiling on a configuration's maxTokens), `openAiApiKeySecretArn` (the
 * secret with the OpenAI-compatible key and its origin). A bad value fails synth,
 * naming the key.
 */
export function readContext(get: (key: string) => unknown): SextantContext {
  const domainName = get("domainName") as string | undefined;
  const certificateArn = get("certificateArn") as string | undefined;
  if (Boolean(domainName) !== Boolean(certificateArn)) {
    throw new Error(
      "Context 'domainName' and 'certificateArn' go together: set both, or neither.",
    );
  }
  const geoAllow = list(get("geoAllow"));
  const geoDeny = list(get("geoDeny"));
  if (geoAllow && geoDeny)
    throw new Error("Context 'geoAllow' and 'geoDeny': set one, not both.");
  for (const code of [...(geoAllow ?? []), ...(geoDeny ?? [])]) {
    if (!/^[A-Z]{2}$/.test(code)) {
      throw new Error(
        `Context 'geoAllow'/'geoDeny': '${code}' is not an ISO 3166-1 alpha-2 country code (e.g. US, DE).`,
      );
    }
  }
  const devTools = String(get("devTools") ?? "false");
  if (devTools !== "true" && devTools !== "false")
    throw new Error(`Context 'devTools' is '${devTools}': use true or false.`);
  const natGateway = String(get("natGateway") ?? "false");
  if (natGateway !== "true" && natGateway !== "false")
    throw new Error(
      `Context 'natGateway' is '${natGateway}': use true or false.`,
    );
  const allowedOrigins = list(get("allowedOrigins"));
  for (const origin of allowedOrigins ?? []) {
    if (!/^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(origin)) {
      throw new Error(
        `Context 'allowedOrigins': '${origin}' is not an https origin (https://host[:port]); '*' is never allowed.`,
      );
    }
  }
  const ingestion: Record<string, number> = {};
  for (const [key, field, max] of [
    ["ingestMaxConcurrency", "maxConcurrency", 10_000],
    ["ingestItemsPerBatch", "itemsPerBatch", 1_000],
    ["ingestToleratedFailurePercentage", "toleratedFailurePercentage", 100],
  ] as const) {
    const value = get(key);
    if (value === undefined) continue;
    const n = Number(value);
    if (
      !Number.isInteger(n) ||
      n < (field === "toleratedFailurePercentage" ? 0 : 1) ||
      n > max
    ) {
      throw new Error(
        `Context '${key}' is '${String(value)}': use a whole number from ${field === "toleratedFailurePercentage" ? 0 : 1} to ${max}.`,
      );
    }
    ingestion[field] = n;
  }
  const maxTokens = get("maxTokens");
  const models: ModelAccessProps = {
    ...Object.fromEntries(
      (
        [
          ["bedrockModels", "bedrockModels"],
          ["bedrockEmbeddingModels", "bedrockEmbeddingModels"],
          ["sagemakerEndpoints", "sagemakerEndpoints"],
          ["modelEndpointOrigins", "endpointOrigins"],
        ] as const
      )
        .map(([key, prop]) => [prop, list(get(key))] as const)
        .filter(([, ids]) => ids?.length),
    ),
    ...(maxTokens === undefined ? {} : { maxTokens: Number(maxTokens) }),
    ...(get("openAiApiKeySecretArn")
      ? { openAiApiKeySecretArn: String(get("openAiApiKeySecretArn")) }
      : {}),
  };
  checkModelAccess(models);
  let pipeline: SextantContext["pipeline"];
  if (String(get("pipeline") ?? "false") === "true") {
    const codeConnectionArn = get("codeConnectionArn") as string | undefined;
    const repository = get("repository") as string | undefined;
    if (
      !codeConnectionArn ||
      !repository ||
      !/^[\w.-]+\/[\w.-]+$/.test(repository)
    ) {
      throw new Error(
        "Context 'pipeline=true' needs 'codeConnectionArn' and 'repository' (owner/name).",
      );
    }
    pipeline = {
      codeConnectionArn,
      repository,
      branch: get("branch") as string | undefined,
    };
  }
  return {
    ...(pipeline ? { pipeline } : {}),
    stage: get("stage") as string | undefined,
    ...(domainName && certificateArn
      ? { domain: { domainName, certificateArn } }
      : {}),
    ...(geoAllow
      ? { geoRestriction: { allow: geoAllow } }
      : geoDeny
        ? { geoRestriction: { deny: geoDeny } }
        : {}),
    devTools: devTools === "true",
    natGateway: natGateway === "true",
    ...(allowedOrigins ? { allowedOrigins } : {}),
    ...(Object.keys(models).length ? { models } : {}),
    ...(Object.keys(ingestion).length ? { ingestion } : {}),
  };
}
