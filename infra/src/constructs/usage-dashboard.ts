import { Duration } from "aws-cdk-lib";
import { CfnBudget } from "aws-cdk-lib/aws-budgets";
import {
  Dashboard,
  GraphWidget,
  Metric,
  TextWidget,
} from "aws-cdk-lib/aws-cloudwatch";
import { Construct } from "constructs";

/** The optional AWS Budgets alarm (context key `budgetAlarm`). */
export interface BudgetAlarm {
  /** The monthly budget in dollars. */
  readonly monthlyUsd: number;
  /** Who gets the e-mails. */
  readonly email: string;
  /** Percent of the budget that sends them. @default 80 */
  readonly thresholdPercent?: number;
}

/** Props for {@link UsageDashboard}. */
export interface UsageDashboardProps {
  readonly budgetAlarm?: BudgetAlarm;
}

/**
 * Usage in CloudWatch: answers, tokens in and out and estimated cost per hour, from the metrics
 * the chat handlers publish with each stored answer (namespace `Sextant/Usage`). With
 * `budgetAlarm`, an AWS Budgets cost budget for the account's month that e-mails when the actual
 * cost, or AWS's forecast of it, passes the threshold.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-budgets-budget.html
 */
export class UsageDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: UsageDashboardProps = {}) {
    super(scope, id);
    const usage = (metricName: string, label: string) =>
      new Metric({
        namespace: "Sextant/Usage",
        metricName,
        dimensionsMap: { service: "sextant-api" },
        statistic: "Sum",
        period: Duration.hours(1),
        label,
      });
    this.dashboard = new Dashboard(this, "Resource", {
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          "## Sextant usage\nPer hour, from each stored answer. Per user, group, model or assistant: the Usage page or `GET /admin/usage` (docs/usage.md).",
        width: 24,
        height: 2,
      }),
      new GraphWidget({
        title: "Answers per hour",
        left: [usage("Answers", "answers")],
        width: 8,
      }),
      new GraphWidget({
        title: "Tokens per hour",
        left: [usage("InputTokens", "in"), usage("OutputTokens", "out")],
        width: 8,
      }),
      new GraphWidget({
        title: "Estimated model cost per hour (USD)",
        left: [usage("EstimatedCostUsd", "estimated cost")],
        width: 8,
      }),
    );
    const alarm = props.budgetAlarm;
    if (alarm) {
      const subscribers = [{ subscriptionType: "EMAIL", address: alarm.email }];
      new CfnBudget(this, "Budget", {
        budget: {
          budgetType: "COST",
          timeUnit: "MONTHLY",
          budgetLimit: { amount: alarm.monthlyUsd, unit: "USD" },
        },
        notificationsWithSubscribers: (["ACTUAL", "FORECASTED"] as const).map(
          (notificationType) => ({
            notification: {
              notificationType,
              comparisonOperator: "GREATER_THAN",
              threshold: alarm.thresholdPercent ?? 80,
              thresholdType: "PERCENTAGE",
            },
            subscribers,
          }),
        ),
      });
    }
  }
}
