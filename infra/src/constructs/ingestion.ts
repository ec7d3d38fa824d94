import * as path from "path";
import { CfnOutput, Duration, Stack } from "aws-cdk-lib";
import type { Dashboard } from "aws-cdk-lib/aws-cloudwatch";
import type { IVpc, SubnetSelection } from "aws-cdk-lib/aws-ec2";
import {
  Rule,
  RuleTargetInput,
  EventField,
  Schedule,
} from "aws-cdk-lib/aws-events";
import {
  LambdaFunction,
  SfnStateMachine,
} from "aws-cdk-lib/aws-events-targets";
import {
  PolicyStatement,
  ServicePrincipal,
  Grant,
  type IGrantable,
} from "aws-cdk-lib/aws-iam";
import type { Key } from "aws-cdk-lib/aws-kms";
import { Architecture, Runtime } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Bucket, IBucket } from "aws-cdk-lib/aws-s3";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import {
  Chain,
  Choice,
  Condition,
  DefinitionBody,
  DistributedMap,
  Fail,
  ItemBatcher,
  JitterType,
  JsonPath,
  LogLevel,
  Map as InlineMap,
  Pass,
  S3ObjectsItemReader,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Wait,
  WaitTime,
  type IChainable,
} from "aws-cdk-lib/aws-stepfunctions";
import {
  CallAwsService,
  LambdaInvoke,
  SqsSendMessage,
} from "aws-cdk-lib/aws-stepfunctions-tasks";
import { Construct } from "constructs";
import { databaseFunctionOptions, functionRole } from "./function-role";
import { IngestionDashboard } from "./ingestion-dashboard";
import { lambdaBundling } from "./lambda-bundling";
import type { ModelAccess } from "./model-access";
import { BULK_PREFIX, UPLOAD_PREFIX, UploadBucket } from "./upload-bucket";
import type { VectorStore } from "./vector-store";

export { BULK_PREFIX, UPLOAD_PREFIX } from "./upload-bucket";

/** How a bulk run spreads over the Distributed Map. */
export interface BulkIngestion {
  /** Child workflows at once; documents in flight = this × `itemsPerBatch`. @default 10 */
  readonly maxConcurrency?: number;
  /** Documents per child workflow (one Express execution each). @default 10 */
  readonly itemsPerBatch?: number;
  /** Failed documents, in percent, a bulk run tolerates before it stops. @default 5 */
  readonly toleratedFailurePercentage?: number;
}

/** Props for {@link Ingestion}. */
export interface IngestionProps extends BulkIngestion {
  /** The VPC and subnets the steps run in (to reach the database). */
  readonly network: { readonly vpc: IVpc; readonly subnets: SubnetSelection };
  readonly vectorStore: VectorStore;
  /** Where the upload bucket's server access logs go. */
  readonly accessLogsBucket: IBucket;
  /** Origins whose pages may PUT uploads into the bucket (the website's). */
  readonly uploadOrigins: readonly string[];
  /** @default three months */
  readonly logRetention?: RetentionDays;
  /** The embedding models the embed step may call. @default - none (the local embedder only) */
  readonly models?: ModelAccess;
  /**
   * Buckets of this account whose prefixes administrators may register as sources of a collection
   * (`sourceBuckets`): prepare and Textract may read their objects, an hourly sync lists them, and
   * their EventBridge object events sync one document at once. @default - none
   */
  readonly sourceBuckets?: readonly string[];
}

type Step = "prepare" | "embed" | "write" | "fail" | "finish";

/** The libraries that read documents (packages/core/src/ingest/formats), imported only when one is read. */
const DOCUMENT_READERS = [
  "mammoth",
  "exceljs",
  "csv-parse",
  "mailparser",
  "fflate",
  "fast-xml-parser",
  "image-size",
  "pngjs",
  "html-to-text",
];

/**
 * Document ingestion on AWS: an upload bucket (KMS, TLS only, versioned, no public access) whose
 * `uploads/` objects start a Step Functions state machine through EventBridge; bulk prefixes
 * (`bulk/...`) go through a Distributed Map. Each document runs prepare → embed → write as Lambda
 * steps around `@sextant/core`'s pipeline; a failure is recorded on the document, sent to a
 * dead-letter queue, and can be redriven. Metrics and a dashboard show the throughput.
 */
export class Ingestion extends Construct {
  /** The upload bucket and its key (`UploadBucket`). */
  readonly uploads: UploadBucket;
  readonly bucket: Bucket;
  readonly key: Key;
  readonly stateMachine: StateMachine;
  readonly deadLetterQueue: Queue;
  readonly functions: Record<Step, NodejsFunction>;
  readonly redrive: NodejsFunction;
  /** The sync of S3 sources, when the deployment has source buckets. */
  readonly sourceSync?: NodejsFunction;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: IngestionProps) {
    super(scope, id);
    const logRetention = props.logRetention ?? RetentionDays.THREE_MONTHS;
    const uploads = new UploadBucket(this, "Uploads", {
      accessLogsBucket: props.accessLogsBucket,
      uploadOrigins: props.uploadOrigins,
    });
    this.bucket = uploads.bucket;
    this.key = uploads.key;
    this.uploads = uploads;
    // EventBridge writes events it could not deliver to the dead-letter queue, encrypted with this
    // key: for the upload rule only. The rule has a known name, so the key policy can name its ARN
    // without a reference (the rule already depends on the queue, which depends on the key).
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
    const stack = Stack.of(this);
    const uploadRuleName = `${stack.stackName}-on-upload`.slice(0, 64);
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal("events.amazonaws.com")],
        actions: ["kms:GenerateDataKey", "kms:Decrypt"],
        resources: ["*"],
        conditions: {
          StringEquals: {
            "aws:SourceAccount": stack.account,
            "aws:SourceArn": stack.formatArn({
              service: "events",
              resource: "rule",
              resourceName: uploadRuleName,
            }),
          },
        },
      }),
    );
    this.deadLetterQueue = new Queue(this, "DeadLetters", {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    const step = (name: Step, timeout: Duration, memorySize: number) => {
      const fn = new NodejsFunction(this, `${capitalize(name)}Function`, {
        ...databaseFunctionOptions(this, capitalize(name), {
          network: props.network,
          vectorStore: props.vectorStore,
          logRetention,
          timeout,
          // A statement ends before its step times out, so the step fails cleanly and retries.
          statementTimeout: timeout.minus(Duration.seconds(10)),
          serviceName: "sextant-ingestion",
          environment: name === "embed" ? props.models?.callerEnvironment : {},
        }),
        entry: path.join(__dirname, "..", "lambda", "ingest-steps.ts"),
        handler: name,
        memorySize,
        // The PDF engine ships beside the bundle, loaded when a PDF arrives. Only prepare reads
        // documents: its bundle holds the Office, spreadsheet and e-mail readers (about 3 MB,
        // evaluated at the first document of each kind); the other steps leave them out.
        // tesseract.js (OCR on a laptop) is never reached on AWS, where Textract reads scans.
        bundling: lambdaBundling({
          sourceMap: true,
          packages: ["unpdf"],
          leftOut:
            name === "prepare"
              ? ["tesseract.js"]
              : ["tesseract.js", ...DOCUMENT_READERS],
        }),
      });
      props.vectorStore.grantConnect(fn);
      return fn;
    };
    this.functions = {
      // Extracting a 50 MiB PDF needs memory; Lambda's CPU grows with it.
      prepare: step("prepare", Duration.minutes(5), 2048),
      embed: step("embed", Duration.minutes(5), 512),
      write: step("write", Duration.minutes(2), 512),
      fail: step("fail", Duration.seconds(30), 256),
      finish: step("finish", Duration.minutes(15), 512),
    };
    const { prepare, embed, write } = this.functions;
    // Staging lives in the upload bucket, whichever bucket a document comes from.
    for (const fn of Object.values(this.functions))
      fn.addEnvironment("UPLOAD_BUCKET", this.bucket.bucketName);
    this.uploads.grantObjects(
      prepare,
      "s3:GetObject",
      UPLOAD_PREFIX,
      BULK_PREFIX,
    );
    this.uploads.grantObjects(prepare, "s3:PutObject", "staging/");
    // The text of scanned pages, from the Textract job the state machine started (no resource ARN).
    prepare.addToRolePolicy(
      new PolicyStatement({
        actions: ["textract:GetDocumentTextDetection"],
        resources: ["*"],
      }),
    );
    this.uploads.grantObjects(embed, "s3:GetObject", "staging/");
    this.uploads.grantObjects(embed, "s3:PutObject", "staging/");
    this.uploads.grantObjects(write, "s3:GetObject", "staging/");
    // SSE-KMS: reading an object needs Decrypt, writing one GenerateDataKey (no wildcard actions).
    this.uploads.grantKey(prepare, "kms:Decrypt", "kms:GenerateDataKey");
    this.uploads.grantKey(embed, "kms:Decrypt", "kms:GenerateDataKey");
    this.uploads.grantKey(write, "kms:Decrypt");
    // The embedding models the deployment declares (the inference configuration picks one).
    props.models?.grantEmbed(embed);

    this.stateMachine = new StateMachine(this, "StateMachine", {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(this.definition(props)),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, "StateMachineLogs", {
          retention: logRetention,
        }),
        // Every state change, without its data: no document text or error payloads in the logs.
        level: LogLevel.ALL,
        includeExecutionData: false,
      },
    });

    // Textract reads the scanned document from the bucket with the state machine's access.
    this.uploads.grantObjects(
      this.stateMachine,
      "s3:GetObject",
      UPLOAD_PREFIX,
      BULK_PREFIX,
    );
    this.uploads.grantKey(this.stateMachine, "kms:Decrypt");

    new Rule(this, "OnUpload", {
      ruleName: uploadRuleName,
      description: "Each document uploaded to uploads/ starts its ingestion",
      eventPattern: {
        source: ["aws.s3"],
        detailType: ["Object Created"],
        detail: {
          bucket: { name: [this.bucket.bucketName] },
          object: { key: [{ prefix: UPLOAD_PREFIX }] },
        },
      },
      targets: [
        new SfnStateMachine(this.stateMachine, {
          input: RuleTargetInput.fromObject({
            bucket: EventField.fromPath("$.detail.bucket.name"),
            key: EventField.fromPath("$.detail.object.key"),
          }),
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });

    const redriveRole = functionRole(this, "Redrive", {
      logRetention,
      inVpc: false,
    });
    this.redrive = new NodejsFunction(this, "RedriveFunction", {
      ...redriveRole,
      entry: path.join(__dirname, "..", "lambda", "ingest-redrive.ts"),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: Duration.minutes(5),
      memorySize: 256,
      environment: {
        DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.queueUrl,
        STATE_MACHINE_ARN: this.stateMachine.stateMachineArn,
      },
      bundling: lambdaBundling(),
    });
    this.deadLetterQueue.grantConsumeMessages(this.redrive);
    this.stateMachine.grantStartExecution(this.redrive);

    const sourceBuckets = props.sourceBuckets ?? [];
    if (sourceBuckets.length) {
      // S3 sources: prepare and Textract (the state machine's role) read their objects.
      const objects = sourceBuckets.map((b) => `arn:aws:s3:::${b}/*`);
      for (const reader of [prepare.role!, this.stateMachine.role])
        reader.addToPrincipalPolicy(
          new PolicyStatement({
            actions: ["s3:GetObject"],
            resources: objects,
          }),
        );
      this.sourceSync = new NodejsFunction(this, "SourceSyncFunction", {
        ...databaseFunctionOptions(this, "SourceSync", {
          network: props.network,
          vectorStore: props.vectorStore,
          logRetention,
          timeout: Duration.minutes(10),
          statementTimeout: Duration.minutes(5),
          serviceName: "sextant-source-sync",
          environment: { STATE_MACHINE_ARN: this.stateMachine.stateMachineArn },
        }),
        entry: path.join(__dirname, "..", "lambda", "source-sync.ts"),
        memorySize: 512,
        bundling: lambdaBundling({
          leftOut: ["tesseract.js", "unpdf", ...DOCUMENT_READERS],
        }),
      });
      this.sourceSync.addToRolePolicy(
        new PolicyStatement({
          actions: ["s3:ListBucket"],
          resources: sourceBuckets.map((b) => `arn:aws:s3:::${b}`),
        }),
      );
      this.stateMachine.grantStartExecution(this.sourceSync);
      props.vectorStore.grantConnect(this.sourceSync);
      new Rule(this, "SyncSources", {
        description:
          "Every hour, each S3 source's collection is made equal to its prefix",
        schedule: Schedule.rate(Duration.hours(1)),
        targets: [new LambdaFunction(this.sourceSync, { retryAttempts: 2 })],
      });
      // An object created or deleted in a source bucket syncs its document at once. The bucket
      // must send its events to EventBridge (docs/ingestion.md).
      new Rule(this, "OnSourceObject", {
        description:
          "An object created or deleted under a source's prefix starts or removes its document",
        eventPattern: {
          source: ["aws.s3"],
          detailType: ["Object Created", "Object Deleted"],
          detail: { bucket: { name: [...sourceBuckets] } },
        },
        targets: [
          new LambdaFunction(this.sourceSync, {
            retryAttempts: 8,
            maxEventAge: Duration.hours(24),
            deadLetterQueue: this.deadLetterQueue,
          }),
        ],
      });
    }

    this.dashboard = new IngestionDashboard(this, "Dashboard", {
      stateMachine: this.stateMachine,
      deadLetterQueue: this.deadLetterQueue,
      vectorStore: props.vectorStore,
    }).dashboard;
    new CfnOutput(this, "UploadBucketName", { value: this.bucket.bucketName });
    new CfnOutput(this, "IngestStateMachineArn", {
      value: this.stateMachine.stateMachineArn,
    });
    new CfnOutput(this, "IngestRedriveFunctionName", {
      value: this.redrive.functionName,
    });
  }

  /** `https://<bucket>.s3.<region>.amazonaws.com`: where the browser PUTs presigned uploads (CSP `connect-src`). */
  get uploadOrigin(): string {
    return this.uploads.origin;
  }

  /** Lets the API presign uploads into `uploads/` (and nothing else of the bucket). */
  grantUpload(grantee: IGrantable): Grant {
    return this.uploads.grantUpload(grantee);
  }

  /** Lets the API presign downloads of a document's original (uploaded or bulk-loaded), for readers of its collection. */
  grantDownload(grantee: IGrantable): Grant {
    return this.uploads.grantDownload(grantee);
  }

  /** Lets the API delete a document's object (uploaded or bulk-loaded) with the document. */
  grantRemove(grantee: IGrantable): Grant {
    return this.uploads.grantRemove(grantee);
  }

  /**
   * Input `{ bucket, key }` (one upload, from EventBridge or a redrive) or `{ prefix: "bulk/..." }`
   * (every object under it, through the Distributed Map). A run fails when a document failed.
   */
  private definition(props: BulkIngestion): IChainable {
    const bulk = new DistributedMap(this, "EachBatch", {
      itemReader: new S3ObjectsItemReader({
        bucket: this.bucket,
        prefix: JsonPath.stringAt("$.prefix"),
      }),
      itemBatcher: new ItemBatcher({
        maxItemsPerBatch: props.itemsPerBatch ?? 10,
        batchInput: { bucket: this.bucket.bucketName },
      }),
      maxConcurrency: props.maxConcurrency ?? 10,
      toleratedFailurePercentage: props.toleratedFailurePercentage ?? 5,
      mapExecutionType: StateMachineType.EXPRESS,
      resultPath: JsonPath.DISCARD,
    });
    const eachDocument = new InlineMap(this, "EachDocument", {
      itemsPath: "$.Items",
      itemSelector: {
        "bucket.$": "$.BatchInput.bucket",
        "key.$": "$$.Map.Item.Value.Key",
        bulk: true,
      },
      resultPath: "$.outcomes",
    }).itemProcessor(this.documentChain("Bulk"));
    bulk.itemProcessor(
      eachDocument
        .next(
          new Pass(this, "CheckBatch", {
            parameters: {
              "anyFailed.$": "States.ArrayContains($.outcomes, 'failed')",
            },
          }),
        )
        .next(
          new Choice(this, "AnyFailedInBatch")
            .when(
              Condition.booleanEquals("$.anyFailed", true),
              new Fail(this, "BatchHadFailures", {
                error: "DocumentFailed",
                cause:
                  "A document in this batch failed: see the dead-letter queue and the documents API.",
              }),
            )
            .otherwise(new Succeed(this, "BatchDone")),
        ),
    );
    const finish = (id: string) =>
      this.invoke(`RefreshStatistics${id}`, this.functions.finish, {
        resultPath: JsonPath.DISCARD,
      });
    const bulkFailed = new Fail(this, "BulkRunFailed", {
      error: "BulkRunFailed",
      cause:
        "More documents failed than the run tolerates: see the dead-letter queue.",
    });
    bulk.addCatch(finish("AfterFailure").next(bulkFailed), {
      resultPath: "$.error",
    });
    const single = this.documentChain("Single").next(
      new Choice(this, "DocumentFailed?")
        .when(
          Condition.stringEquals("$", "failed"),
          new Fail(this, "DocumentFailed", {
            error: "DocumentFailed",
            cause: "See the dead-letter queue and the documents API.",
          }),
        )
        .otherwise(new Succeed(this, "DocumentDone")),
    );
    return new Choice(this, "BulkOrSingle")
      .when(
        Condition.and(
          Condition.isPresent("$.prefix"),
          Condition.stringMatches("$.prefix", `${BULK_PREFIX}*`),
        ),
        bulk.next(finish("")).next(new Succeed(this, "BulkDone")),
      )
      .when(
        Condition.and(
          Condition.isPresent("$.bucket"),
          Condition.isPresent("$.key"),
        ),
        single,
      )
      .otherwise(
        new Fail(this, "InvalidInput", {
          error: "InvalidInput",
          cause: `Start with { "prefix": "${BULK_PREFIX}..." } for a bulk run, or { "bucket": ..., "key": ... } for one document.`,
        }),
      );
  }

  /** prepare → (unchanged?) → embed → write, each failure caught: recorded, dead-lettered. Ends with the outcome as a string. */
  private documentChain(id: string): Chain {
    const outcome = new Pass(this, `${id}Outcome`, { outputPath: "$.outcome" });
    const failed = this.invoke(`${id}RecordFailure`, this.functions.fail, {
      resultPath: JsonPath.DISCARD,
    })
      .next(
        new SqsSendMessage(this, `${id}DeadLetter`, {
          queue: this.deadLetterQueue,
          messageBody: TaskInput.fromObject({
            "bucket.$": "$.bucket",
            "key.$": "$.key",
            "error.$": "$.error",
          }),
          resultPath: JsonPath.DISCARD,
        }),
      )
      .next(
        new Pass(this, `${id}Failed`, { parameters: { outcome: "failed" } }),
      )
      .next(outcome);
    const catching = (state: LambdaInvoke) =>
      state.addCatch(failed, { resultPath: "$.error" });
    const prepare = catching(
      this.invoke(`${id}Prepare`, this.functions.prepare),
    );
    const embed = catching(this.invoke(`${id}Embed`, this.functions.embed));
    // A throttled embedding model: back off, with jitter, in the state machine (no Lambda time).
    embed.addRetry({
      errors: ["ModelUnavailableError"],
      interval: Duration.seconds(5),
      backoffRate: 2,
      maxAttempts: 6,
      maxDelay: Duration.minutes(2),
      jitterStrategy: JitterType.FULL,
    });
    const write = catching(this.invoke(`${id}Write`, this.functions.write));
    const unchanged = new Choice(this, `${id}Unchanged?`)
      .when(
        Condition.booleanEquals("$.unchanged", true),
        new Pass(this, `${id}Unchanged`, {
          parameters: { outcome: "unchanged" },
        }).next(outcome),
      )
      .otherwise(embed.next(write).next(outcome));
    // Scanned pages (no text layer): Amazon Textract's asynchronous text detection reads the
    // object where it is, polled without Lambda time, then prepare runs again with the job's text.
    const prepareWithText = catching(
      this.invoke(`${id}PrepareWithText`, this.functions.prepare),
    );
    prepareWithText.next(unchanged);
    const textractRetry = {
      errors: [
        "Textract.ProvisionedThroughputExceededException",
        "Textract.ThrottlingException",
        "Textract.LimitExceededException",
        "Textract.InternalServerError",
      ],
      interval: Duration.seconds(5),
      backoffRate: 2,
      maxAttempts: 6,
      jitterStrategy: JitterType.FULL,
    };
    const startTextDetection = new CallAwsService(
      this,
      `${id}StartTextDetection`,
      {
        service: "textract",
        action: "startDocumentTextDetection",
        // Textract's actions take no resource ARN.
        iamAction: "textract:StartDocumentTextDetection",
        iamResources: ["*"],
        parameters: {
          DocumentLocation: {
            S3Object: { "Bucket.$": "$.bucket", "Name.$": "$.key" },
          },
          // A retried start returns the same job.
          "ClientRequestToken.$": "$.contentHash",
        },
        resultSelector: { "jobId.$": "$.JobId" },
        resultPath: "$.ocr",
      },
    );
    const waitForText = new Wait(this, `${id}WaitForText`, {
      time: WaitTime.duration(Duration.seconds(10)),
    });
    const textDetectionStatus = new CallAwsService(
      this,
      `${id}TextDetectionStatus`,
      {
        service: "textract",
        action: "getDocumentTextDetection",
        iamAction: "textract:GetDocumentTextDetection",
        iamResources: ["*"],
        parameters: { "JobId.$": "$.ocr.jobId", MaxResults: 1 },
        resultSelector: { "status.$": "$.JobStatus" },
        resultPath: "$.ocrStatus",
      },
    );
    for (const call of [startTextDetection, textDetectionStatus]) {
      call.addRetry(textractRetry);
      call.addCatch(failed, { resultPath: "$.error" });
    }
    const textDetectionFailed = new Pass(this, `${id}TextDetectionFailed`, {
      parameters: {
        "bucket.$": "$.bucket",
        "key.$": "$.key",
        "source.$": "$.source",
        "contentHash.$": "$.contentHash",
        error: {
          Error: "TextDetectionFailed",
          "Cause.$":
            "States.Format('Amazon Textract could not read the scanned pages: its job ended {}.', $.ocrStatus.status)",
        },
      },
    }).next(failed);
    startTextDetection
      .next(waitForText)
      .next(textDetectionStatus)
      .next(
        new Choice(this, `${id}TextDetected?`)
          .when(
            Condition.or(
              Condition.stringEquals("$.ocrStatus.status", "SUCCEEDED"),
              Condition.stringEquals("$.ocrStatus.status", "PARTIAL_SUCCESS"),
            ),
            prepareWithText,
          )
          .when(
            Condition.stringEquals("$.ocrStatus.status", "IN_PROGRESS"),
            waitForText,
          )
          .otherwise(textDetectionFailed),
      );
    prepare.next(
      new Choice(this, `${id}Scanned?`)
        .when(
          Condition.and(
            Condition.isPresent("$.needsOcr"),
            Condition.booleanEquals("$.needsOcr", true),
          ),
          startTextDetection,
        )
        .otherwise(unchanged),
    );
    return Chain.custom(prepare, [outcome], outcome);
  }

  private invoke(
    id: string,
    fn: NodejsFunction,
    options: { resultPath?: string } = {},
  ): LambdaInvoke {
    return new LambdaInvoke(this, id, {
      lambdaFunction: fn,
      payload: TaskInput.fromJsonPathAt("$"),
      ...(options.resultPath
        ? { resultPath: options.resultPath }
        : { payloadResponseOnly: true }),
      // Lambda's own transient errors (throttled invocations, service errors).
      retryOnServiceExceptions: true,
    });
  }
}

const capitalize = (s: string) => s[0].toUpperCase() + s.slice(1);
