import { HOURS_PER_MONTH, PRICES } from "./prices";

/** A CloudFormation template as synthesized. */
interface Template {
  readonly Resources: Record<
    string,
    { Type: string; Properties?: Record<string, any> }
  >;
}

/** One billable resource and what it costs while nobody uses Sextant. */
export interface IdleCost {
  readonly item: string;
  readonly count: number;
  readonly monthlyUsd: number;
  readonly basis: string;
  readonly source: string;
}

const round = (usd: number) => Math.round(usd * 100) / 100;

/**
 * The monthly cost of the synthesized templates while idle, resource by resource. Everything that
 * bills by the hour or month is here; what bills only by use (Lambda, API Gateway, CloudFront,
 * Cognito's monthly active users, Aurora at 0 ACU) is zero while idle and priced per use below.
 */
export function idleCosts(templates: readonly Template[]): IdleCost[] {
  const resources = templates.flatMap((t) => Object.values(t.Resources));
  const ofType = (type: string) => resources.filter((r) => r.Type === type);
  const costs: IdleCost[] = [];

  const interfaceEndpoints = ofType("AWS::EC2::VPCEndpoint").filter(
    (e) => e.Properties?.VpcEndpointType === "Interface",
  );
  const endpointAzs = interfaceEndpoints.reduce(
    (n, e) => n + (e.Properties?.SubnetIds?.length ?? 0),
    0,
  );
  if (endpointAzs > 0) {
    costs.push({
      item: `VPC interface endpoints (${interfaceEndpoints.length} service${interfaceEndpoints.length === 1 ? "" : "s"}, ${endpointAzs} endpoint-AZ${endpointAzs === 1 ? "" : "s"})`,
      count: endpointAzs,
      monthlyUsd: round(
        endpointAzs * PRICES.interfaceEndpointPerAzHour.usd * HOURS_PER_MONTH,
      ),
      basis: `$${PRICES.interfaceEndpointPerAzHour.usd} per endpoint per AZ per hour`,
      source: PRICES.interfaceEndpointPerAzHour.source,
    });
  }
  const nats = ofType("AWS::EC2::NatGateway").length;
  if (nats > 0) {
    costs.push({
      item: "NAT gateways",
      count: nats,
      monthlyUsd: round(nats * PRICES.natGatewayPerHour.usd * HOURS_PER_MONTH),
      basis: `$${PRICES.natGatewayPerHour.usd} per hour`,
      source: PRICES.natGatewayPerHour.source,
    });
  }
  for (const acl of ofType("AWS::WAFv2::WebACL")) {
    const rules = acl.Properties?.Rules?.length ?? 0;
    costs.push({
      item: `WAF web ACL (${acl.Properties?.Scope === "CLOUDFRONT" ? "CloudFront" : "API Gateway"}, ${rules} ${rules === 1 ? "rule" : "rules"})`,
      count: 1,
      monthlyUsd: round(
        PRICES.wafWebAclPerMonth.usd + rules * PRICES.wafRulePerMonth.usd,
      ),
      basis: `$${PRICES.wafWebAclPerMonth.usd} per web ACL + $${PRICES.wafRulePerMonth.usd} per rule, per month`,
      source: PRICES.wafWebAclPerMonth.source,
    });
  }
  const keys = ofType("AWS::KMS::Key").length;
  if (keys > 0) {
    costs.push({
      item: "KMS customer-managed keys",
      count: keys,
      monthlyUsd: round(keys * PRICES.kmsKeyPerMonth.usd),
      basis: `$${PRICES.kmsKeyPerMonth.usd} per key per month`,
      source: PRICES.kmsKeyPerMonth.source,
    });
  }
  const secrets =
    ofType("AWS::SecretsManager::Secret").length +
    ofType("AWS::RDS::DBCluster").filter(
      (c) => c.Properties?.ManageMasterUserPassword,
    ).length;
  if (secrets > 0) {
    costs.push({
      item: "Secrets Manager secrets (the RDS-managed master secret, the origin-verify value)",
      count: secrets,
      monthlyUsd: round(secrets * PRICES.secretPerMonth.usd),
      basis: `$${PRICES.secretPerMonth.usd} per secret per month`,
      source: PRICES.secretPerMonth.source,
    });
  }
  for (const cluster of ofType("AWS::RDS::DBCluster")) {
    const min =
      cluster.Properties?.ServerlessV2ScalingConfiguration?.MinCapacity ?? 0.5;
    costs.push({
      item: `Aurora Serverless v2 compute (minimum ${min} ACU${min === 0 ? ", paused when idle" : ""})`,
      count: 1,
      monthlyUsd: round(min * PRICES.auroraAcuHour.usd * HOURS_PER_MONTH),
      basis: `$${PRICES.auroraAcuHour.usd} per ACU-hour × minimum capacity`,
      source: PRICES.auroraAcuHour.source,
    });
    costs.push({
      item: "Aurora storage (1 GB: the schema and a small corpus)",
      count: 1,
      monthlyUsd: round(PRICES.auroraStorageGbMonth.usd),
      basis: `$${PRICES.auroraStorageGbMonth.usd} per GB-month`,
      source: PRICES.auroraStorageGbMonth.source,
    });
  }
  for (const alias of ofType("AWS::Lambda::Alias")) {
    const executions =
      alias.Properties?.ProvisionedConcurrencyConfig
        ?.ProvisionedConcurrentExecutions ?? 0;
    if (!executions) continue;
    // The alias names its function by Ref; the function's memory sets the price.
    const fn = templates
      .map((t) => t.Resources[alias.Properties?.FunctionName?.Ref])
      .find(Boolean);
    const gb = (fn?.Properties?.MemorySize ?? 128) / 1024;
    costs.push({
      item: `Lambda provisioned concurrency (${executions} × ${gb * 1024} MB, the streaming chat handler)`,
      count: executions,
      monthlyUsd: round(
        executions *
          gb *
          HOURS_PER_MONTH *
          3600 *
          PRICES.lambdaArmProvisionedGbSecond.usd,
      ),
      basis: `$${PRICES.lambdaArmProvisionedGbSecond.usd} per GB-second provisioned, around the clock`,
      source: PRICES.lambdaArmProvisionedGbSecond.source,
    });
  }
  return costs.sort((a, b) => b.monthlyUsd - a.monthlyUsd);
}

/** A per-use cost: one line of a unit of work. */
export interface UseCost {
  readonly item: string;
  readonly usd: number;
  readonly basis: string;
}

/**
 * What 1,000 questions cost (offline defaults, and with Bedrock models configured), and what
 * 1,000 ingested pages cost, from the assumptions written in each line.
 */
export function useCosts(): {
  questions: UseCost[];
  questionsWithBedrock: UseCost[];
  pages: UseCost[];
} {
  const questions: UseCost[] = [
    {
      item: "CloudFront HTTPS requests",
      usd: (1000 / 10_000) * PRICES.cloudFrontPer10kHttps.usd,
      basis: "1 request per question",
    },
    {
      item: "WAF requests (edge and API)",
      usd: (2000 / 1e6) * PRICES.wafPerMillionRequests.usd,
      basis: "2 inspections per question",
    },
    {
      item: "API Gateway requests",
      usd: (1000 / 1e6) * PRICES.apiGatewayPerMillion.usd,
      basis: "1 request per question",
    },
    {
      item: "Lambda (512 MB, 0.3 s)",
      usd:
        1000 * 0.5 * 0.3 * PRICES.lambdaArmGbSecond.usd +
        (1000 / 1e6) * PRICES.lambdaPerMillion.usd,
      basis: "0.15 GB-s and 1 invocation per question",
    },
    {
      item: "Aurora compute while answering",
      usd: ((1000 * 0.1) / 3600) * 1 * PRICES.auroraAcuHour.usd,
      basis: "1 ACU for 0.1 s per question (retrieval and the write)",
    },
    {
      item: "Aurora I/O",
      usd: ((1000 * 200) / 1e6) * PRICES.auroraPerMillionIo.usd,
      basis: "about 200 I/Os per question",
    },
  ];
  const bedrock: UseCost[] = [
    {
      item: "Bedrock: question embedding (Titan v2)",
      usd: 1000 * 0.03 * PRICES.bedrockTitanEmbedV2Per1kTokens.usd,
      basis: "30 tokens per question",
    },
    {
      item: "Bedrock: answer (Claude 3.5 Haiku)",
      usd:
        1000 *
        (3 * PRICES.bedrockHaikuInputPer1kTokens.usd +
          0.4 * PRICES.bedrockHaikuOutputPer1kTokens.usd),
      basis:
        "3,000 input tokens (5 passages and the prompt), 400 output tokens per question",
    },
  ];
  const pages: UseCost[] = [
    {
      item: "S3 uploads",
      usd: (1000 / 5 / 1000) * PRICES.s3PutPer1000.usd,
      basis: "documents of 5 pages, 1 PUT each",
    },
    {
      item: "Lambda (1 GB, 0.5 s per page)",
      usd: 1000 * 1 * 0.5 * PRICES.lambdaArmGbSecond.usd,
      basis: "extract, chunk and write, 0.5 GB-s per page",
    },
    {
      item: "Bedrock: embeddings (Titan v2)",
      usd: 1000 * 0.6 * PRICES.bedrockTitanEmbedV2Per1kTokens.usd,
      basis: "600 tokens per page (with overlap)",
    },
    {
      item: "Aurora compute while writing",
      usd: ((1000 * 0.05) / 3600) * 2 * PRICES.auroraAcuHour.usd,
      basis: "2 ACU for 0.05 s per page",
    },
    {
      item: "Aurora I/O",
      usd: ((1000 * 100) / 1e6) * PRICES.auroraPerMillionIo.usd,
      basis: "about 100 I/Os per page (4 chunks, indexes)",
    },
  ];
  return { questions, questionsWithBedrock: [...questions, ...bedrock], pages };
}
