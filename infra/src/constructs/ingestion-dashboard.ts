import { Duration } from "aws-cdk-lib";
import {
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
} from "aws-cdk-lib/aws-cloudwatch";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { IStateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import type { VectorStore } from "./vector-store";

/** Props for {@link IngestionDashboard}. */
export interface IngestionDashboardProps {
  readonly stateMachine: IStateMachine;
  readonly deadLetterQueue: IQueue;
  /** Its Aurora capacity is shown. */
  readonly vectorStore: VectorStore;
}

/**
 * The ingestion's CloudWatch dashboard, per minute: documents and chunks ingested (the steps'
 * own metrics), failed executions and dead letters, Bedrock throttles, Aurora capacity.
 */
export class IngestionDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: IngestionDashboardProps) {
    super(scope, id);

    const own = (metricName: string, label: string) =>
      new Metric({
        namespace: "Sextant/Ingestion",
        metricName,
        dimensionsMap: { service: "sextant-ingestion" },
        statistic: "Sum",
        period: Duration.minutes(1),
        label,
      });
    const dashboard = (this.dashboard = new Dashboard(this, "Resource", {
      defaultInterval: Duration.hours(3),
    }));
    dashboard.addWidgets(
      new TextWidget({
        markdown:
          "## Sextant ingestion\nPer minute. Failed documents are in the dead-letter queue; redrive with the IngestRedriveFunctionName output (docs/ingestion.md).",
        width: 24,
        height: 2,
      }),
      new GraphWidget({
        title: "Documents per minute",
        left: [
          own("DocumentsIngested", "ingested"),
          own("DocumentsFailed", "failed"),
        ],
        width: 8,
      }),
      new GraphWidget({
        title: "Chunks per minute",
        left: [own("ChunksIngested", "chunks")],
        width: 8,
      }),
      new GraphWidget({
        title: "Failures",
        left: [
          props.stateMachine.metricFailed({
            period: Duration.minutes(1),
            label: "failed executions",
          }),
          props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(1),
            label: "dead letters",
          }),
        ],
        width: 8,
      }),
      new GraphWidget({
        title: "Bedrock throttles",
        left: [
          new MathExpression({
            expression:
              "SEARCH('{AWS/Bedrock,ModelId} MetricName=\"InvocationThrottles\"', 'Sum', 60)",
            label: "throttled invocations",
            period: Duration.minutes(1),
          }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: "Aurora capacity (ACUs)",
        left: [
          props.vectorStore.cluster.metricServerlessDatabaseCapacity({
            period: Duration.minutes(1),
            statistic: "Maximum",
          }),
        ],
        width: 12,
      }),
    );
  }
}
