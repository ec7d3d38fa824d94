import { MODEL_PRICES } from "@sextant/core";

/**
 * us-east-1 list prices (USD) the cost model uses, each with its source. Checked 2026-11; when AWS
 * changes a price, change it here and `docs/cost.md` follows on the next `npm test`.
 */
export const PRICES = {
  interfaceEndpointPerAzHour: {
    usd: 0.01,
    source: "https://aws.amazon.com/privatelink/pricing/",
  },
  natGatewayPerHour: {
    usd: 0.045,
    source: "https://aws.amazon.com/vpc/pricing/",
  },
  wafWebAclPerMonth: { usd: 5, source: "https://aws.amazon.com/waf/pricing/" },
  wafRulePerMonth: { usd: 1, source: "https://aws.amazon.com/waf/pricing/" },
  wafPerMillionRequests: {
    usd: 0.6,
    source: "https://aws.amazon.com/waf/pricing/",
  },
  kmsKeyPerMonth: { usd: 1, source: "https://aws.amazon.com/kms/pricing/" },
  secretPerMonth: {
    usd: 0.4,
    source: "https://aws.amazon.com/secrets-manager/pricing/",
  },
  auroraAcuHour: {
    usd: 0.12,
    source:
      "https://aws.amazon.com/rds/aurora/pricing/ (Serverless v2, Aurora Standard)",
  },
  auroraStorageGbMonth: {
    usd: 0.1,
    source: "https://aws.amazon.com/rds/aurora/pricing/",
  },
  auroraPerMillionIo: {
    usd: 0.2,
    source: "https://aws.amazon.com/rds/aurora/pricing/",
  },
  apiGatewayPerMillion: {
    usd: 3.5,
    source: "https://aws.amazon.com/api-gateway/pricing/ (REST, first 333 M)",
  },
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    source: "https://aws.amazon.com/lambda/pricing/ (arm64)",
  },
  lambdaArmProvisionedGbSecond: {
    usd: 0.0000033334,
    source:
      "https://aws.amazon.com/lambda/pricing/ (Provisioned Concurrency, arm64: billed for the concurrency configured, whether used or not)",
  },
  lambdaPerMillion: {
    usd: 0.2,
    source: "https://aws.amazon.com/lambda/pricing/",
  },
  cloudFrontPer10kHttps: {
    usd: 0.01,
    source: "https://aws.amazon.com/cloudfront/pricing/ (North America)",
  },
  logsIngestedGb: {
    usd: 0.5,
    source: "https://aws.amazon.com/cloudwatch/pricing/",
  },
  s3PutPer1000: { usd: 0.005, source: "https://aws.amazon.com/s3/pricing/" },
  // The models' prices are core's, which also prices every metered model call.
  bedrockTitanEmbedV2Per1kTokens: {
    usd: MODEL_PRICES["amazon.titan-embed-text-v2"].inputPer1k,
    source: MODEL_PRICES["amazon.titan-embed-text-v2"].source,
  },
  bedrockHaikuInputPer1kTokens: {
    usd: MODEL_PRICES["anthropic.claude-3-5-haiku"].inputPer1k,
    source: `${MODEL_PRICES["anthropic.claude-3-5-haiku"].source}, input`,
  },
  bedrockHaikuOutputPer1kTokens: {
    usd: MODEL_PRICES["anthropic.claude-3-5-haiku"].outputPer1k,
    source: `${MODEL_PRICES["anthropic.claude-3-5-haiku"].source}, output`,
  },
} as const;

/** Hours in a month, as AWS bills them. */
export const HOURS_PER_MONTH = 730;
