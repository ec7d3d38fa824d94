import { Aspects, CfnResource, Fn, Stack, type IAspect } from "aws-cdk-lib";
import { CfnFunction } from "aws-cdk-lib/aws-lambda";
import { CfnLogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IConstruct } from "constructs";

/**
 * Gives every Lambda function of a stack a log group with a retention — including the functions
 * CDK and PDK create for their custom resources, which would otherwise make `/aws/lambda/<name>`
 * at first run, kept forever. A function that names its own log group is left alone.
 */
export class LogRetentionEverywhere implements IAspect {
  static applyTo(stack: Stack, retention: RetentionDays): void {
    Aspects.of(stack).add(new LogRetentionEverywhere(retention));
  }

  private constructor(private readonly retention: RetentionDays) {}

  visit(node: IConstruct): void {
    if (
      !(node instanceof CfnResource) ||
      node.cfnResourceType !== "AWS::Lambda::Function"
    )
      return;
    if (
      node instanceof CfnFunction &&
      Stack.of(node).resolve(node.loggingConfig)?.logGroup
    )
      return;
    if (node.node.tryFindChild("DefaultLogGroup")) return;
    new CfnLogGroup(node, "DefaultLogGroup", {
      logGroupName: Fn.join("", ["/aws/lambda/", node.ref]),
      retentionInDays: this.retention,
    });
  }
}
