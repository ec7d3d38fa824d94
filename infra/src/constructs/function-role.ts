import {
  CfnRole,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from "aws-cdk-lib/aws-iam";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";

/**
 * A Lambda function's own role and log group, without AWS-managed policies: CDK would attach
 * AWSLambdaBasicExecutionRole (write to any log group) and, in a VPC, AWSLambdaVPCAccessExecutionRole.
 * This role writes to its own log group only, and in a VPC gets the same network-interface
 * actions inline (they support no resource-level permissions: see nag-suppressions.ts).
 */
export function functionRole(
  scope: Construct,
  id: string,
  options: { readonly logRetention: RetentionDays; readonly inVpc: boolean },
): { role: Role; logGroup: LogGroup } {
  const logGroup = new LogGroup(scope, `${id}Logs`, {
    retention: options.logRetention,
  });
  const role = new Role(scope, `${id}Role`, {
    assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
  });
  logGroup.grantWrite(role);
  if (options.inVpc) {
    (role.node.defaultChild as CfnRole).addPropertyDeletionOverride(
      "ManagedPolicyArns",
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          "ec2:CreateNetworkInterface",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeSubnets",
          "ec2:DeleteNetworkInterface",
          "ec2:AssignPrivateIpAddresses",
          "ec2:UnassignPrivateIpAddresses",
        ],
        resources: ["*"],
      }),
    );
  }
  return { role, logGroup };
}
