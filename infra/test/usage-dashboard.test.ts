import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { readContext } from "../src/config/context";
import { UsageDashboard } from "../src/constructs/usage-dashboard";

const synth = (props: ConstructorParameters<typeof UsageDashboard>[2]) => {
  const stack = new Stack(new App(), "usage");
  new UsageDashboard(stack, "UsageDashboard", props);
  return Template.fromStack(stack);
};

describe("usage in CloudWatch and AWS Budgets", () => {
  it("graphs the answers, tokens and estimated cost the chat handlers publish", () => {
    const template = synth({});
    const [dashboard] = Object.values(
      template.findResources("AWS::CloudWatch::Dashboard"),
    );
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const metric of [
      "Answers",
      "InputTokens",
      "OutputTokens",
      "EstimatedCostUsd",
    ])
      expect(body).toContain(`\\"Sextant/Usage\\",\\"${metric}\\"`);
    template.resourceCountIs("AWS::Budgets::Budget", 0);
  });

  it("with budgetAlarm, e-mails when the month's actual or forecast cost passes the threshold", () => {
    const { budgetAlarm } = readContext(
      (key) =>
        ({
          budgetAlarm: '{"monthlyUsd": 300, "email": "ops@example.com"}',
        })[key],
    );
    synth({ budgetAlarm }).hasResourceProperties("AWS::Budgets::Budget", {
      Budget: {
        BudgetType: "COST",
        TimeUnit: "MONTHLY",
        BudgetLimit: { Amount: 300, Unit: "USD" },
      },
      NotificationsWithSubscribers: ["ACTUAL", "FORECASTED"].map((type) =>
        Match.objectLike({
          Notification: {
            NotificationType: type,
            ComparisonOperator: "GREATER_THAN",
            Threshold: 80,
            ThresholdType: "PERCENTAGE",
          },
          Subscribers: [
            { SubscriptionType: "EMAIL", Address: "ops@example.com" },
          ],
        }),
      ),
    });
  });

  it.each([
    ["{", "Context 'budgetAlarm' is not JSON"],
    ['{"monthlyUsd": 0, "email": "a@b.c"}', "budgetAlarm'.monthlyUsd"],
    ['{"monthlyUsd": 10, "email": "nobody"}', "budgetAlarm'.email"],
    [
      '{"monthlyUsd": 10, "email": "a@b.c", "sms": 1}',
      "budgetAlarm'.sms is not a field",
    ],
  ])("rejects budgetAlarm %s, naming the field", (value, message) => {
    expect(() => readContext((key) => ({ budgetAlarm: value })[key])).toThrow(
      message,
    );
  });
});
