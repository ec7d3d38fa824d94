import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { Grant, type IGrantable } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  CfnBucket,
  HttpMethods,
  type IBucket,
} from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";

/** Where website uploads land (each starts an ingestion) and where bulk loads go (started by hand). */
export const UPLOAD_PREFIX = "uploads/";
export const BULK_PREFIX = "bulk/";

/** Props for {@link UploadBucket}. */
export interface UploadBucketProps {
  /** Where the bucket's access logs go. */
  readonly accessLogsBucket: IBucket;
  /** Origins whose pages may PUT uploads into the bucket (the website's). */
  readonly uploadOrigins: readonly string[];
}

/**
 * The bucket documents are uploaded to and staged in: its own customer-managed key with rotation
 * (SSE-KMS, bucket key), TLS 1.2+ only, versioned, no public access, access logs, browser PUTs
 * from the website's origins, staged chunks kept a day, and events to EventBridge.
 */
export class UploadBucket extends Construct {
  readonly bucket: Bucket;
  /** The bucket's key (the ingestion's dead-letter queue uses it too). */
  readonly key: Key;

  constructor(scope: Construct, id: string, props: UploadBucketProps) {
    super(scope, id);
    this.key = new Key(this, "Key", {
      description: "Sextant uploads and the ingestion dead-letter queue",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new Bucket(this, "Resource", {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      // One data key per bucket rather than per object: far fewer KMS calls on a bulk load.
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: "upload-bucket-access-logs/",
      removalPolicy: RemovalPolicy.RETAIN,
      cors: [
        {
          allowedMethods: [HttpMethods.PUT],
          allowedOrigins: [...props.uploadOrigins],
          allowedHeaders: ["Content-Type"],
          maxAge: 3600,
        },
      ],
      lifecycleRules: [
        // Chunks and vectors between steps: a day is enough for any retry.
        { prefix: "staging/", expiration: Duration.days(1) },
        { noncurrentVersionExpiration: Duration.days(30) },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    // Events to EventBridge, set on the bucket itself: `eventBridgeEnabled` would add CDK's
    // notifications custom resource (a Lambda with an AWS-managed policy) for the same effect.
    (this.bucket.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
  }

  /** `https://<bucket>.s3.<region>.amazonaws.com`: where the browser PUTs presigned uploads (CSP `connect-src`). */
  get origin(): string {
    return `https://${this.bucket.bucketRegionalDomainName}`;
  }

  /** Presigning uploads into `uploads/` (and nothing else of the bucket). */
  grantUpload(grantee: IGrantable): Grant {
    return this.grantObjects(grantee, "s3:PutObject", UPLOAD_PREFIX).combine(
      this.grantKey(grantee, "kms:GenerateDataKey"),
    );
  }

  /** Deleting a document's object, uploaded or bulk-loaded. */
  grantRemove(grantee: IGrantable): Grant {
    return this.grantObjects(
      grantee,
      "s3:DeleteObject",
      UPLOAD_PREFIX,
      BULK_PREFIX,
    );
  }

  /** Presigning downloads of a document's original file, uploaded or bulk-loaded (SSE-KMS: Decrypt). */
  grantDownload(grantee: IGrantable): Grant {
    return this.grantObjects(
      grantee,
      "s3:GetObject",
      UPLOAD_PREFIX,
      BULK_PREFIX,
    ).combine(this.grantKey(grantee, "kms:Decrypt"));
  }

  /** One object action under the given prefixes only. */
  grantObjects(
    grantee: IGrantable,
    action: string,
    ...prefixes: string[]
  ): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: [action],
      resourceArns: prefixes.map((p) => this.bucket.arnForObjects(`${p}*`)),
    });
  }

  /** Key actions (SSE-KMS: reading an object needs Decrypt, writing one GenerateDataKey). */
  grantKey(grantee: IGrantable, ...actions: string[]): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.key.keyArn],
    });
  }
}
