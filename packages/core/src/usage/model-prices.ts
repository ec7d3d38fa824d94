/**
 * us-east-1 on-demand list prices (USD per 1,000 tokens) of the models a configuration may name,
 * each with its source. One table for the deployment's cost model (`infra/src/cost`) and for the
 * cost of every model call Sextant meters. Checked 2026-11; when a price changes, change it here.
 */
export const MODEL_PRICES = {
  "anthropic.claude-3-5-haiku": {
    inputPer1k: 0.0008,
    outputPer1k: 0.004,
    source: "https://aws.amazon.com/bedrock/pricing/ (Claude 3.5 Haiku)",
  },
  "anthropic.claude-3-haiku": {
    inputPer1k: 0.00025,
    outputPer1k: 0.00125,
    source: "https://aws.amazon.com/bedrock/pricing/ (Claude 3 Haiku)",
  },
  "anthropic.claude-3-5-sonnet": {
    inputPer1k: 0.003,
    outputPer1k: 0.015,
    source: "https://aws.amazon.com/bedrock/pricing/ (Claude 3.5 Sonnet)",
  },
  "amazon.titan-embed-text-v2": {
    inputPer1k: 0.00002,
    outputPer1k: 0,
    source:
      "https://aws.amazon.com/bedrock/pricing/ (Titan Text Embeddings V2)",
  },
} as const satisfies Record<
  string,
  { inputPer1k: number; outputPer1k: number; source: string }
>;

/**
 * The price of a model by its id: a foundation-model id or a cross-region inference profile
 * (`us.`, `eu.`, `apac.`, `global.` in front), with or without its date and version suffix.
 * Undefined for a model the table does not know (its cost is then "not priced", never 0).
 */
export function priceOf(
  modelId: string,
): (typeof MODEL_PRICES)[keyof typeof MODEL_PRICES] | undefined {
  const id = modelId.replace(/^(us|eu|apac|global|us-gov)\./, "");
  const key = (Object.keys(MODEL_PRICES) as (keyof typeof MODEL_PRICES)[])
    .filter((k) => id === k || id.startsWith(`${k}-`) || id.startsWith(`${k}:`))
    .sort((a, b) => b.length - a.length)[0];
  return key && MODEL_PRICES[key];
}

/**
 * The estimated cost of a call: 0 offline (`extractive`, `local`), the table's price for a Bedrock
 * model, undefined when the model is not priced (SageMaker, an OpenAI-compatible server: their
 * price is the deployment's own).
 */
export function costOf(
  provider: string,
  modelId: string,
  usage: { inputTokens: number; outputTokens: number },
): number | undefined {
  if (provider === "extractive" || provider === "local") return 0;
  if (provider !== "bedrock") return undefined;
  const price = priceOf(modelId);
  if (!price) return undefined;
  return (
    (usage.inputTokens / 1000) * price.inputPer1k +
    (usage.outputTokens / 1000) * price.outputPer1k
  );
}
