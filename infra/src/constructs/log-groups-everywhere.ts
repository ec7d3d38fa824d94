import {
  ArnFormat,
  AspectPriority,
  Aspects,
  CfnResource,
  Fn,
  RemovalPolicy,
  Stack,
  type IAspect,
} from "aws-cdk-lib";
import { ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { CfnFunction } from "aws-cdk-lib/aws-lambda";
import { CfnLogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IConstruct } from "constructs";

/**
 * Every log group of a stack has a retention and is encrypted with the stack's customer-managed
 * logs key: the ones our constructs declare, and a declared group for each Lambda function CDK and
 * PDK create for their custom resources, which would otherwise make `/aws/lambda/<name>` at first
 * run, unencrypted and kept forever. A function that names its own log group is left alone. The
 * stage's retention is every group's: a construct's own default (PDK's API access logs keep two
 * years, ours three months when used alone) does not outlive it.
 */
export class LogGroupsEverywhere implements IAspect {
  /** Adds the aspect and the stack's logs key (`LogsKey`). */
  static applyTo(stack: Stack, retention: RetentionDays): Key {
    const key = new Key(stack, "LogsKey", {
      enableKeyRotation: true,
      description: `${stack.stackName}: CloudWatch Logs`,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs may use the key only for this account's log groups in this region.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    key.grant(
      new ServicePrincipal(`logs.${stack.region}.amazonaws.com`, {
        conditions: {
          ArnLike: {
            "kms:EncryptionContext:aws:logs:arn": stack.formatArn({
              service: "logs",
              resource: "log-group",
              resourceName: "*",
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
      "kms:Encrypt*",
      "kms:Decrypt*",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:Describe*",
    );
    Aspects.of(stack).add(new LogGroupsEverywhere(retention, key), {
      priority: AspectPriority.MUTATING,
    });
    return key;
  }

  private constructor(
    private readonly retention: RetentionDays,
    private readonly key: Key,
  ) {}

  visit(node: IConstruct): void {
    if (node instanceof CfnLogGroup) {
      this.encrypt(node);
      return;
    }
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
    this.encrypt(
      new CfnLogGroup(node, "DefaultLogGroup", {
        logGroupName: Fn.join("", ["/aws/lambda/", node.ref]),
        retentionInDays: this.retention,
      }),
    );
  }

  private encrypt(group: CfnLogGroup): void {
    group.retentionInDays = this.retention;
    group.kmsKeyId ??= this.key.keyArn;
  }
}
