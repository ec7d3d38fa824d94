import { Stack } from "aws-cdk-lib";
import {
  InterfaceVpcEndpointAwsService,
  Port,
  SecurityGroup,
} from "aws-cdk-lib/aws-ec2";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { CfnDomain, CfnUserProfile } from "aws-cdk-lib/aws-sagemaker";
import { Construct } from "constructs";
import type { Network } from "./network";
import type { VectorStore } from "./vector-store";

/** Props for {@link DevTools}. */
export interface DevToolsProps {
  readonly network: Network;
  /** Studio users may query the vector store through the Data API. */
  readonly vectorStore: VectorStore;
  /** Bedrock model families Studio users may invoke. @default Anthropic Claude, Amazon Titan and Cohere embeddings */
  readonly bedrockModels?: readonly string[];
}

/** The Bedrock model-id prefixes Studio users may call by default. */
export const DEV_TOOLS_BEDROCK_MODELS = [
  "anthropic.claude-",
  "amazon.titan-embed-",
  "cohere.embed-",
] as const;

/**
 * A SageMaker Studio domain for prompt and retrieval experiments, only when the `devTools`
 * context is true: VPC-only (no internet), encrypted with its own key, and an execution role with
 * exactly what experiments need — its own domain's apps and spaces, the listed Bedrock models, the
 * vector store's Data API — instead of AmazonSageMakerFullAccess.
 */
export class DevTools extends Construct {
  readonly domain: CfnDomain;
  readonly executionRole: Role;

  constructor(scope: Construct, id: string, props: DevToolsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const key = new Key(this, "Key", {
      enableKeyRotation: true,
      description: "Sextant dev tools: Studio storage",
    });
    this.executionRole = new Role(this, "ExecutionRole", {
      assumedBy: new ServicePrincipal("sagemaker.amazonaws.com"),
      description:
        "Sextant Studio users: their own apps and spaces, listed Bedrock models, the vector store's Data API",
    });
    const { vpc, applicationSubnets } = props.network;
    const securityGroup = new SecurityGroup(this, "SecurityGroup", {
      vpc,
      description: "Sextant Studio apps",
      allowAllOutbound: false,
    });
    securityGroup.addEgressRule(
      securityGroup,
      Port.allTcp(),
      "Studio apps talk to each other (NFS, kernels)",
    );
    securityGroup.addIngressRule(
      securityGroup,
      Port.allTcp(),
      "Studio apps talk to each other (NFS, kernels)",
    );
    // VPC-only Studio reaches SageMaker through endpoints (only deployed with the dev tools).
    props.network.addServiceEndpoint(
      InterfaceVpcEndpointAwsService.SAGEMAKER_API,
    );
    props.network.addServiceEndpoint(
      InterfaceVpcEndpointAwsService.SAGEMAKER_RUNTIME,
    );
    this.domain = new CfnDomain(this, "Domain", {
      domainName: `${stack.stackName}-studio`,
      authMode: "IAM",
      appNetworkAccessType: "VpcOnly",
      vpcId: vpc.vpcId,
      subnetIds: vpc.selectSubnets(applicationSubnets).subnetIds,
      kmsKeyId: key.keyArn,
      defaultUserSettings: {
        executionRole: this.executionRole.roleArn,
        securityGroups: [securityGroup.securityGroupId],
      },
    });
    new CfnUserProfile(this, "Developer", {
      domainId: this.domain.attrDomainId,
      userProfileName: "developer",
    });

    const domainArn = (resource: string) =>
      `arn:${stack.partition}:sagemaker:${stack.region}:${stack.account}:${resource}/${this.domain.attrDomainId}`;
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          "sagemaker:CreateApp",
          "sagemaker:DeleteApp",
          "sagemaker:DescribeApp",
          "sagemaker:CreateSpace",
          "sagemaker:UpdateSpace",
          "sagemaker:DeleteSpace",
          "sagemaker:DescribeSpace",
          "sagemaker:DescribeUserProfile",
        ],
        resources: [
          `${domainArn("app")}/*`,
          `${domainArn("space")}/*`,
          `${domainArn("user-profile")}/*`,
        ],
      }),
    );
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ["sagemaker:DescribeDomain"],
        resources: [domainArn("domain")],
      }),
    );
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          "bedrock:InvokeModel",
          "bedrock:InvokeModelWithResponseStream",
        ],
        resources: (props.bedrockModels ?? DEV_TOOLS_BEDROCK_MODELS).map(
          (prefix) =>
            `arn:${stack.partition}:bedrock:${stack.region}::foundation-model/${prefix}*`,
        ),
      }),
    );
    this.executionRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [
          `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:/aws/sagemaker/studio:*`,
        ],
      }),
    );
    props.vectorStore.cluster.grantDataApiAccess(this.executionRole);
    key.grantDecrypt(this.executionRole);
    key.grant(this.executionRole, "kms:GenerateDataKey");
  }
}
