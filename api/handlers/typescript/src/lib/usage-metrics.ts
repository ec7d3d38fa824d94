import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";

/** Each answer's usage in CloudWatch (embedded metric format), graphed by the usage dashboard. */
const metrics = new Metrics({
  namespace: "Sextant/Usage",
  serviceName: "sextant-api",
});

/**
 * Publishes one stored answer's usage: the answer, its tokens in and out, and its estimated cost
 * when its models are priced. On Lambda only; the API's own figures are `GET /admin/usage`.
 */
export function publishAnswerMetrics(answer: {
  readonly usage?: {
    readonly inputTokens: number;
    readonly outputTokens: number;
    readonly costUsd?: number;
  };
}): void {
  if (!process.env.AWS_LAMBDA_FUNCTION_NAME) return;
  metrics.addMetric("Answers", MetricUnit.Count, 1);
  metrics.addMetric(
    "InputTokens",
    MetricUnit.Count,
    answer.usage?.inputTokens ?? 0,
  );
  metrics.addMetric(
    "OutputTokens",
    MetricUnit.Count,
    answer.usage?.outputTokens ?? 0,
  );
  if (answer.usage?.costUsd !== undefined)
    metrics.addMetric(
      "EstimatedCostUsd",
      MetricUnit.NoUnit,
      answer.usage.costUsd,
    );
  metrics.publishStoredMetrics();
}
