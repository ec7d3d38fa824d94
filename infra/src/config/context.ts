import { readFederation, type Federation } from "./federation";
import { STAGES, type StageName } from "./stages";
import type { BulkIngestion } from "../constructs/ingestion";
import {
  checkModelAccess,
  type ModelAccessProps,
} from "../constructs/model-access";
import type { BudgetAlarm } from "../constructs/usage-dashboard";
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
  /** Buckets of the account whose prefixes may be registered as document sources. */
  readonly sourceBuckets?: string[];
  /** The models the deployment may call: IAM grants and VPC endpoints follow. */
  readonly models?: ModelAccessProps;
  /** Provisioned concurrency of the streaming chat handler, by stage. */
  readonly streamingProvisionedConcurrency?: Partial<Record<StageName, number>>;
  /** Bulk ingestion's Distributed Map, overriding the stage's. */
  readonly ingestion?: BulkIngestion;
  /** An AWS Budgets alarm on the account's monthly cost. */
  readonly budgetAlarm?: BudgetAlarm;
  /** Single sign-on: SAML and OIDC providers, and their groups mapped to Sextant's. */
  readonly federation?: Federation;
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
 * `allowedOrigins` (comma-separated https origins), `sourceBuckets` (comma-separated S3 bucket
 * names of the account, for document sources), `ingestMaxConcurrency`, `ingestItemsPerBatch`,
 * `ingestToleratedFailurePercentage` (whole numbers), `bedrockModels`, `bedrockEmbeddingModels`
 * (comma-separated Bedrock model or inference-profile ids), `bedrockRerankModels` (comma-separated
 * Bedrock reranker model ids), `bedrockGuardrails` (comma-separated guardrail ids or ARNs),
 * `starterGuardrail` and `comprehendPii` (true/false), `qualityGate` (`retrieval` or `off`), `sagemakerEndpoints` (comma-separated
 * endpoint names), `modelEndpointOrigins` (comma-separated https origins of OpenAI-compatible
 * servers), `maxTokens` (the ceiling on a configuration's maxTokens), `openAiApiKeySecretArn` (the
 * secret with the OpenAI-compatible key and its origin), `streamingProvisionedConcurrency` (a
 * whole number for every stage, or JSON by stage: `{"prod":2}`), `identityProviders`,
 * `groupMapping` and `signInWith` ({@link readFederation}), `budgetAlarm` (JSON: `{"monthlyUsd":300,
 * "email":"ops@example.com","thresholdPercent":80}`). A bad value fails synth, naming the key.
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
  const sourceBuckets = list(get("sourceBuckets"));
  for (const bucket of sourceBuckets ?? []) {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
      throw new Error(
        `Context 'sourceBuckets': '${bucket}' is not an S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens).`,
      );
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
  const starterGuardrail = String(get("starterGuardrail") ?? "false");
  if (starterGuardrail !== "true" && starterGuardrail !== "false")
    throw new Error(
      `Context 'starterGuardrail' is '${starterGuardrail}': use true or false.`,
    );
  const comprehendPii = String(get("comprehendPii") ?? "false");
  if (comprehendPii !== "true" && comprehendPii !== "false")
    throw new Error(
      `Context 'comprehendPii' is '${comprehendPii}': use true or false.`,
    );
  const qualityGate = get("qualityGate");
  if (
    qualityGate !== undefined &&
    !["retrieval", "off"].includes(String(qualityGate))
  )
    throw new Error(
      `Context 'qualityGate' is '${String(qualityGate)}': use 'retrieval' (a configuration change needs an evaluation no worse than the current version) or 'off'.`,
    );
  const models: ModelAccessProps = {
    ...Object.fromEntries(
      (
        [
          ["bedrockModels", "bedrockModels"],
          ["bedrockEmbeddingModels", "bedrockEmbeddingModels"],
          ["bedrockRerankModels", "bedrockRerankModels"],
          ["bedrockGuardrails", "bedrockGuardrails"],
          ["sagemakerEndpoints", "sagemakerEndpoints"],
          ["modelEndpointOrigins", "endpointOrigins"],
        ] as const
      )
        .map(([key, prop]) => [prop, list(get(key))] as const)
        .filter(([, ids]) => ids?.length),
    ),
    ...(maxTokens === undefined ? {} : { maxTokens: Number(maxTokens) }),
    ...(String(qualityGate) === "retrieval"
      ? { qualityGate: "retrieval" as const }
      : {}),
    ...(starterGuardrail === "true" ? { starterGuardrail: true } : {}),
    ...(comprehendPii === "true" ? { comprehendPii: true } : {}),
    ...(get("openAiApiKeySecretArn")
      ? { openAiApiKeySecretArn: String(get("openAiApiKeySecretArn")) }
      : {}),
  };
  checkModelAccess(models);
  const streamingProvisionedConcurrency = provisionedConcurrency(
    get("streamingProvisionedConcurrency"),
  );
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
  const federation = readFederation(get);
  const budgetAlarm = readBudgetAlarm(get("budgetAlarm"));
  return {
    ...(budgetAlarm ? { budgetAlarm } : {}),
    ...(pipeline ? { pipeline } : {}),
    ...(federation ? { federation } : {}),
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
    ...(sourceBuckets ? { sourceBuckets } : {}),
    ...(Object.keys(models).length ? { models } : {}),
    ...(Object.keys(ingestion).length ? { ingestion } : {}),
    ...(streamingProvisionedConcurrency
      ? { streamingProvisionedConcurrency }
      : {}),
  };
}

/**
 * `streamingProvisionedConcurrency`: a whole number from 0 to 1000 for every stage, or a JSON
 * object of them by stage (`{"prod":2,"staging":1}`); from the CLI (`-c`) both arrive as text.
 */
function provisionedConcurrency(
  value: unknown,
): Partial<Record<StageName, number>> | undefined {
  if (value === undefined) return undefined;
  const key = "streamingProvisionedConcurrency";
  let parsed: unknown = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = value;
    }
  }
  const byStage: Record<string, unknown> =
    typeof parsed === "object" && parsed !== null
      ? (parsed as Record<string, unknown>)
      : Object.fromEntries(Object.keys(STAGES).map((s) => [s, parsed]));
  for (const [stage, n] of Object.entries(byStage)) {
    if (!(stage in STAGES))
      throw new Error(
        `Context '${key}': '${stage}' is not a stage (${Object.keys(STAGES).join(", ")}).`,
      );
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 1000)
      throw new Error(
        `Context '${key}' for '${stage}' is '${String(n)}': use a whole number from 0 to 1000.`,
      );
  }
  return byStage as Partial<Record<StageName, number>>;
}

/** `budgetAlarm`: `{ monthlyUsd, email, thresholdPercent? }`, as JSON from the CLI. */
function readBudgetAlarm(value: unknown): BudgetAlarm | undefined {
  if (value === undefined) return undefined;
  const key = "Context 'budgetAlarm'";
  let parsed: any = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new Error(
        `${key} is not JSON: use {"monthlyUsd": 300, "email": "ops@example.com"}.`,
      );
    }
  }
  const { monthlyUsd, email, thresholdPercent, ...rest } = parsed ?? {};
  for (const field of Object.keys(rest))
    throw new Error(
      `${key}.${field} is not a field (monthlyUsd, email, thresholdPercent).`,
    );
  if (typeof monthlyUsd !== "number" || !(monthlyUsd > 0))
    throw new Error(`${key}.monthlyUsd must be a number of dollars above 0.`);
  if (typeof email !== "string" || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw new Error(`${key}.email must be an e-mail address.`);
  if (
    thresholdPercent !== undefined &&
    (typeof thresholdPercent !== "number" ||
      thresholdPercent <= 0 ||
      thresholdPercent > 1000)
  )
    throw new Error(`${key}.thresholdPercent must be a percentage above 0.`);
  return {
    monthlyUsd,
    email,
    ...(thresholdPercent === undefined ? {} : { thresholdPercent }),
  };
}
