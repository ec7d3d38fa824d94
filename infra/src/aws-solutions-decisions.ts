/**
 * What Sextant decided about each finding of cdk-nag's AwsSolutions pack (run in a test besides
 * AwsPrototyping, which gates synth). docs/security.md lists the same table; a test keeps both in
 * step with what the pack finds.
 */
export const AWS_SOLUTIONS_DECISIONS: Readonly<Record<string, string>> = {
  "AwsSolutions-CFR1":
    "Geo restriction is opt-in (context geoAllow or geoDeny); with a list configured the finding is gone.",
  "AwsSolutions-RDS10":
    "Deletion protection is off in dev only, so a sandbox can be torn down; staging and prod have it on (tested).",
  "AwsSolutions-IAM4":
    "Only CDK's BucketDeployment singleton (PDK StaticWebsite) uses an AWS-managed policy; Sextant's own roles have none (tested).",
  "AwsSolutions-IAM5":
    "Wildcard resources only where the actions have no resource-level permissions (bedrock:Rerank, whose model is granted by ARN; comprehend:DetectPiiEntities; X-Ray, Lambda VPC network interfaces, Step Functions log delivery), by key prefix in the upload bucket (uploads/, bulk/, staging/), for the ingestion state machine's own child executions and function versions, for a declared cross-region inference profile's foundation model in every region (only through that profile), and in CDK's BucketDeployment.",
  "AwsSolutions-SQS3":
    "The ingestion's queue is itself the dead-letter queue (of the EventBridge rule and of the state machine's catch); a dead-letter queue for it would only hide failures. It is redriven by a function (docs/ingestion.md).",
  "AwsSolutions-L1":
    "The Python runtime of aws-cdk-lib's BucketDeployment; every Node.js function, PDK's spec preparation included, runs on Node.js 24.",
  "AwsSolutions-SMG4":
    "The origin-verify header value reaches CloudFront and the API's web ACL through deploy-time dynamic references: a rotation between deployments would lock CloudFront out. It is not a credential.",
};
