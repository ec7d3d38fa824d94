import { Stack } from "aws-cdk-lib";
import { NagSuppressions } from "cdk-nag";
import type { IConstruct } from "constructs";

/** One justified exception to the AwsPrototyping pack. */
export interface NagSuppression {
  /** The rule id, e.g. `AwsPrototyping-IAMNoManagedPolicies`. */
  readonly id: string;
  /** Why this finding is acceptable, or what would remove it. */
  readonly reason: string;
  /**
   * Construct path under the stack, as a prefix: CDK singletons carry a hash in their id
   * (`Custom::CDKBucketDeployment<hash>`), so the prefix survives CDK upgrades.
   */
  readonly path: string;
  /** Narrows IAM findings to these resources/actions (cdk-nag `appliesTo`: literals or `/regex/g`). */
  readonly appliesTo?: (string | { readonly regex: string })[];
  /** Applies only when this holds for the stack. @default always */
  readonly when?: (context: SuppressionContext) => boolean;
}

/** What a conditional suppression may depend on. */
export interface SuppressionContext {
  /** Whether the website has a country allow or deny list. */
  readonly geoRestricted: boolean;
  /** Whether the SageMaker Studio dev tools are deployed. */
  readonly devTools: boolean;
}

const BUCKET_DEPLOYMENT = "Custom::CDKBucketDeployment";
/** Objects under the upload bucket's prefixes (uploads/, bulk/, staging/). */
const UPLOAD_OBJECTS =
  "/^Resource::<IngestionUploads[0-9A-F]+\\.Arn>/(uploads|bulk|staging)/\\*$/g";
/** A declared model's foundation model in every region, reachable only through its cross-region inference profile. */
const CROSS_REGION_FOUNDATION_MODEL =
  "/^Resource::arn:<AWS::Partition>:bedrock:\\*::foundation-model/[^*]+$/g";
const BUCKET_DEPLOYMENT_REASON =
  "CDK's BucketDeployment singleton (PDK StaticWebsite) copies the built website into its bucket; its role and runtime are managed by aws-cdk-lib, not by Sextant.";

/**
 * Every nag suppression in Sextant, in one table: policy as data. A test counts them and checks
 * each has a reason, so a new one cannot slip in unnoticed.
 */
export const NAG_SUPPRESSIONS: readonly NagSuppression[] = [
  {
    id: "AwsPrototyping-CloudFrontDistributionGeoRestrictions",
    path: "Website/StaticWebsite/CloudfrontDistribution",
    reason:
      'Geo restriction is opt-in: set the context key sextant:geoRestriction to {"allow": [...]} or {"deny": [...]}; with one set, this suppression is not applied.',
    when: ({ geoRestricted }) => !geoRestricted,
  },
  {
    id: "AwsPrototyping-IAMNoWildcardPermissions",
    path: "ChatApi",
    appliesTo: [
      "Resource::*",
      { regex: UPLOAD_OBJECTS },
      { regex: CROSS_REGION_FOUNDATION_MODEL },
    ],
    reason:
      "A cross-region inference profile routes to its foundation model in whichever region Bedrock picks, so that model is granted in every region, and only through the declared profile (condition bedrock:InferenceProfileArn; docs/security.md). Actions that support no resource-level permissions: Bedrock's Rerank (bedrock:Rerank; the reranker model itself is granted by ARN, as InvokeModel, only the declared ones), Comprehend's DetectPiiEntities (only when the deployment allows it, context comprehendPii), X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) and the network interfaces of a Lambda in a VPC (ec2:CreateNetworkInterface, ec2:Describe*, ec2:DeleteNetworkInterface, ec2:Assign/UnassignPrivateIpAddresses), which AWS's own AWSLambdaVPCAccessExecutionRole grants on '*' too. The upload-URL operation may put objects under uploads/ only, the delete operation delete objects under uploads/ and bulk/ only (object permissions are granted by key prefix).",
  },
  {
    id: "AwsPrototyping-IAMNoWildcardPermissions",
    path: "Ingestion",
    appliesTo: [
      "Resource::*",
      { regex: UPLOAD_OBJECTS },
      { regex: "/^Resource::<Ingestion\\w+Function[0-9A-F]+\\.Arn>:\\*$/g" },
      {
        regex:
          "/^Resource::arn:<AWS::Partition>:states:.*:execution:.*IngestionStateMachine.*$/g",
      },
      { regex: CROSS_REGION_FOUNDATION_MODEL },
      "Action::kms:GenerateDataKey*",
    ],
    reason:
      "Ingestion's grants are per prefix and per family, by nature of the resource: objects under uploads/, bulk/ and staging/ of its own bucket; the versions of its own step functions (Step Functions' LambdaInvoke); its own state machine's executions (the Distributed Map starts child executions whose names are only known at run time); the declared embedding models, in every region only through a declared cross-region inference profile (condition bedrock:InferenceProfileArn); CDK's grant for sending to the KMS-encrypted dead-letter queue (kms:GenerateDataKey*). '*' is only for actions without resource-level permissions: Lambda network interfaces in the VPC, X-Ray and Step Functions log delivery.",
  },
  {
    id: "AwsPrototyping-IAMNoWildcardPermissions",
    path: "DevTools/ExecutionRole",
    appliesTo: [
      {
        regex:
          "/^Resource::arn:<AWS::Partition>:sagemaker:.*:(app|space|user-profile)/<DevToolsDomain.*\\.DomainId>/\\*$/g",
      },
      {
        regex:
          "/^Resource::arn:<AWS::Partition>:bedrock:.*::foundation-model/[a-z.-]+\\*$/g",
      },
      {
        regex:
          "/^Resource::arn:<AWS::Partition>:logs:.*:log-group:/aws/sagemaker/studio:\\*$/g",
      },
    ],
    reason:
      "Studio (dev tools, opt-in) names its apps, spaces and log streams at run time: the role may touch those of its own domain only; Bedrock access is limited to the listed model families by id prefix.",
    when: ({ devTools }) => devTools,
  },
  {
    id: "AwsPrototyping-SecretsManagerRotationEnabled",
    path: "OriginVerify/Value",
    reason:
      "The origin-verify header value that CloudFront adds and the API's web ACL checks reaches both through CloudFormation dynamic references, resolved only at deployment: a rotation between deployments would make the API refuse CloudFront. It is not a credential (every request still needs a Cognito token); a new deployment with a new value replaces it.",
  },
  {
    id: "AwsPrototyping-IAMNoManagedPolicies",
    path: BUCKET_DEPLOYMENT,
    reason: BUCKET_DEPLOYMENT_REASON,
  },
  {
    id: "AwsPrototyping-IAMNoWildcardPermissions",
    path: BUCKET_DEPLOYMENT,
    reason: BUCKET_DEPLOYMENT_REASON,
  },
  {
    id: "AwsPrototyping-LambdaLatestVersion",
    path: BUCKET_DEPLOYMENT,
    reason: BUCKET_DEPLOYMENT_REASON,
  },
];

/** Applies {@link NAG_SUPPRESSIONS} to every construct of the stack whose path starts with a suppression's path. */
export function applyNagSuppressions(
  stack: Stack,
  context: SuppressionContext,
): void {
  const prefix = `${stack.node.path}/`;
  for (const s of NAG_SUPPRESSIONS) {
    if (s.when && !s.when(context)) continue;
    const targets = stack.node.children.flatMap(function collect(
      c: IConstruct,
    ): IConstruct[] {
      const path = c.node.path.slice(prefix.length);
      if (path.startsWith(s.path)) return [c];
      return s.path.startsWith(`${path}/`)
        ? c.node.children.flatMap(collect)
        : [];
    });
    if (targets.length === 0)
      throw new Error(
        `Nag suppression for ${s.id} matches no construct at '${s.path}': remove it.`,
      );
    for (const target of targets) {
      NagSuppressions.addResourceSuppressions(
        target,
        [{ id: s.id, reason: s.reason, appliesTo: s.appliesTo }],
        true,
      );
    }
  }
}
