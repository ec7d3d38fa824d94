import type { Duration } from "aws-cdk-lib";
import type { IVpc, SubnetSelection } from "aws-cdk-lib/aws-ec2";
import {
  CfnRole,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from "aws-cdk-lib/aws-iam";
import {
  Architecture,
  Runtime,
  type FunctionOptions,
} from "aws-cdk-lib/aws-lambda";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import type { VectorStore } from "./vector-store";

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

/** What a function that reads and writes the database is given. */
export interface DatabaseFunctionProps {
  readonly network: { readonly vpc: IVpc; readonly subnets: SubnetSelection };
  readonly vectorStore: VectorStore;
  readonly logRetention: RetentionDays;
  readonly timeout: Duration;
  /** The longest a database statement may run: less than the function's timeout, so it fails cleanly. */
  readonly statementTimeout: Duration;
  /** Powertools' service name. */
  readonly serviceName: string;
  readonly environment?: Record<string, string>;
}

/**
 * The options every Sextant function that uses the database shares: its own role and log group
 * ({@link functionRole}), Node.js 24 on arm64, the application subnets, and the database as
 * `sextant_app` with IAM authentication and a statement timeout. Give the
 * function made with them {@link VectorStore.grantConnect}.
 */
export function databaseFunctionOptions(
  scope: Construct,
  id: string,
  props: DatabaseFunctionProps,
): FunctionOptions & { runtime: Runtime } {
  const { role, logGroup } = functionRole(scope, id, {
    logRetention: props.logRetention,
    inVpc: true,
  });
  return {
    role,
    logGroup,
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    timeout: props.timeout,
    vpc: props.network.vpc,
    vpcSubnets: props.network.subnets,
    environment: {
      POWERTOOLS_SERVICE_NAME: props.serviceName,
      NODE_OPTIONS: "--enable-source-maps",
      DATABASE_URL: props.vectorStore.databaseUrl,
      DATABASE_IAM_AUTH: "true",
      DATABASE_STATEMENT_TIMEOUT_MS: String(
        props.statementTimeout.toMilliseconds(),
      ),
      ...props.environment,
    },
  };
}
