import { Match, type Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { synthSextant } from "./fixtures";
import { STAGES } from "../src/config/stages";

const { template } = synthSextant({
  ingestion: {
    maxConcurrency: 7,
    itemsPerBatch: 3,
    toleratedFailurePercentage: 2,
  },
  sourceBuckets: ["acme-policies"],
});

type State = Record<string, any>;

/** The state machine's definition as JSON, with every CloudFormation reference in it as a placeholder. */
function definition(t: Template): { States: Record<string, State> } {
  const [machine] = Object.values(
    t.findResources("AWS::StepFunctions::StateMachine"),
  );
  const join = machine.Properties.DefinitionString["Fn::Join"][1] as unknown[];
  return JSON.parse(
    join
      .map((part) =>
        typeof part === "string"
          ? part
          : `REF:${JSON.stringify(part).replace(/"/g, "'")}`,
      )
      .join(""),
  );
}

/** Every state, including those inside Map item processors. */
function allStates(states: Record<string, State>): [string, State][] {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state] as [string, State],
    ...(state.ItemProcessor ? allStates(state.ItemProcessor.States) : []),
  ]);
}

/** The policy statements attached to the role whose logical id starts with `rolePrefix`. */
function statementsOf(rolePrefix: string): State[] {
  return Object.values(template.findResources("AWS::IAM::Policy"))
    .filter((p) =>
      JSON.stringify(p.Properties.Roles).includes(`"${rolePrefix}`),
    )
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}
const actionsOf = (statements: State[]) =>
  statements.flatMap((s) => [s.Action].flat()).sort();
const s3Grants = (statements: State[]) =>
  statements
    .filter((s) => [s.Action].flat().some((a: string) => a.startsWith("s3:")))
    .map((s) => ({
      action: s.Action,
      prefixes: [s.Resource]
        .flat()
        .map(
          (r: unknown) =>
            /\/(\w+)\/\*"/.exec(JSON.stringify(r))?.[1] ?? JSON.stringify(r),
        )
        .sort(),
    }));

const states = allStates(definition(template).States);
const stateNamed = (name: string) =>
  states.find(([n]) => n === name)?.[1] as State;

/** The ingestion's own function roles. */
const INGESTION_ROLES = [
  "Prepare",
  "Embed",
  "Write",
  "Fail",
  "Finish",
  "Redrive",
] as const;

describe("Ingestion: the state machine", () => {
  it("reads bulk prefixes with a Distributed Map at the configured concurrency, batch size and failure tolerance", () => {
    const map = stateNamed("EachBatch");
    expect(map.Type).toBe("Map");
    expect(map.ItemProcessor.ProcessorConfig).toEqual({
      Mode: "DISTRIBUTED",
      ExecutionType: "EXPRESS",
    });
    expect(map.MaxConcurrency).toBe(7);
    expect(map.ItemBatcher.MaxItemsPerBatch).toBe(3);
    expect(map.ToleratedFailurePercentage).toBe(2);
    expect(map.ItemReader.Resource).toMatch(/:states:::s3:listObjectsV2/);
    expect(map.ItemReader.Parameters["Prefix.$"]).toBe("$.prefix");
    // Only prefixes under bulk/ are accepted; anything else fails with a reason.
    expect(JSON.stringify(stateNamed("BulkOrSingle"))).toContain('"bulk/*"');
  });

  it("takes the stage's bulk settings unless given others", () => {
    expect(STAGES.dev.ingestion.maxConcurrency).toBeLessThan(
      STAGES.prod.ingestion.maxConcurrency,
    );
  });

  it("retries the embed step with exponential backoff and jitter when the model is throttled", () => {
    for (const name of ["SingleEmbed", "BulkEmbed"]) {
      const retry = stateNamed(name).Retry.find((r: State) =>
        r.ErrorEquals.includes("ModelUnavailableError"),
      );
      expect(retry).toMatchObject({
        IntervalSeconds: 5,
        BackoffRate: 2,
        MaxAttempts: 6,
        MaxDelaySeconds: 120,
        JitterStrategy: "FULL",
      });
    }
  });

  it("catches every step's failure: recorded on the document, then sent to the dead-letter queue", () => {
    for (const id of ["Single", "Bulk"]) {
      for (const step of ["Prepare", "Embed", "Write"]) {
        const [toFailure] = stateNamed(`${id}${step}`).Catch;
        expect(toFailure).toMatchObject({
          ErrorEquals: ["States.ALL"],
          ResultPath: "$.error",
          Next: `${id}RecordFailure`,
        });
      }
      expect(stateNamed(`${id}RecordFailure`).Next).toBe(`${id}DeadLetter`);
      const send = stateNamed(`${id}DeadLetter`);
      expect(send.Resource).toMatch(/:states:::sqs:sendMessage/);
      expect(send.Parameters.QueueUrl).toContain("IngestionDeadLetters");
    }
    // A bulk run still refreshes the ranking statistics when it stops on too many failures.
    expect(stateNamed("EachBatch").Catch[0].Next).toBe(
      "RefreshStatisticsAfterFailure",
    );
  });

  it("sends a document with scanned pages through Textract's asynchronous text detection, polled without Lambda, then prepares it again with the text", () => {
    for (const id of ["Single", "Bulk"]) {
      const scanned = stateNamed(`${id}Scanned?`);
      expect(stateNamed(`${id}Prepare`).Next).toBe(`${id}Scanned?`);
      expect(scanned.Choices[0].Next).toBe(`${id}StartTextDetection`);
      expect(scanned.Default).toBe(`${id}Unchanged?`);
      const start = stateNamed(`${id}StartTextDetection`);
      expect(start.Resource).toMatch(
        /:states:::aws-sdk:textract:startDocumentTextDetection$/,
      );
      expect(start.Parameters).toEqual({
        DocumentLocation: {
          S3Object: { "Bucket.$": "$.bucket", "Name.$": "$.key" },
        },
        "ClientRequestToken.$": "$.contentHash",
      });
      expect(start.Next).toBe(`${id}WaitForText`);
      const status = stateNamed(`${id}TextDetectionStatus`);
      expect(status.Resource).toMatch(
        /:states:::aws-sdk:textract:getDocumentTextDetection$/,
      );
      const detected = stateNamed(`${id}TextDetected?`);
      expect(detected.Choices.map((c: State) => c.Next)).toEqual([
        `${id}PrepareWithText`,
        `${id}WaitForText`,
      ]);
      expect(detected.Default).toBe(`${id}TextDetectionFailed`);
      expect(stateNamed(`${id}TextDetectionFailed`).Next).toBe(
        `${id}RecordFailure`,
      );
      expect(stateNamed(`${id}PrepareWithText`).Next).toBe(`${id}Unchanged?`);
      for (const call of [start, status]) {
        expect(call.Catch[0]).toMatchObject({
          ResultPath: "$.error",
          Next: `${id}RecordFailure`,
        });
        expect(call.Retry[0].ErrorEquals).toContain(
          "Textract.ProvisionedThroughputExceededException",
        );
      }
    }
  });

  it("starts for each upload under uploads/, with retries and the same dead-letter queue for events it cannot deliver", () => {
    const [rule] = Object.values(template.findResources("AWS::Events::Rule"));
    expect(rule.Properties.EventPattern).toMatchObject({
      source: ["aws.s3"],
      "detail-type": ["Object Created"],
      detail: { object: { key: [{ prefix: "uploads/" }] } },
    });
    const [target] = rule.Properties.Targets;
    expect(JSON.stringify(target.DeadLetterConfig)).toContain(
      "IngestionDeadLetters",
    );
    expect(target.RetryPolicy.MaximumRetryAttempts).toBe(8);
  });

  it("logs every state change without its data, and traces", () => {
    template.hasResourceProperties("AWS::StepFunctions::StateMachine", {
      LoggingConfiguration: Match.objectLike({
        Level: "ALL",
        IncludeExecutionData: false,
      }),
      TracingConfiguration: { Enabled: true },
    });
  });
});

describe("Ingestion: S3 sources (-c sourceBuckets=acme-policies)", () => {
  const fnNamed = (prefix: string) =>
    Object.entries(template.findResources("AWS::Lambda::Function")).find(
      ([id]) => id.startsWith(prefix),
    )!;

  it("syncs every hour and on each object created or deleted in a source bucket, with retries and the dead-letter queue", () => {
    const rules = Object.values(
      template.findResources("AWS::Events::Rule"),
    ).map((r) => r.Properties);
    const schedule = rules.find((r) => r.ScheduleExpression);
    expect(schedule.ScheduleExpression).toBe("rate(1 hour)");
    expect(JSON.stringify(schedule.Targets)).toContain(
      "IngestionSourceSyncFunction",
    );
    const events = rules.find((r) =>
      JSON.stringify(r.EventPattern ?? {}).includes("acme-policies"),
    );
    expect(events.EventPattern).toEqual({
      source: ["aws.s3"],
      "detail-type": ["Object Created", "Object Deleted"],
      detail: { bucket: { name: ["acme-policies"] } },
    });
    expect(events.Targets[0].RetryPolicy.MaximumRetryAttempts).toBe(8);
    expect(JSON.stringify(events.Targets[0].DeadLetterConfig)).toContain(
      "IngestionDeadLetters",
    );
  });

  it("lets the sync list the source buckets and start the state machine; prepare and Textract read their objects; nothing writes them", () => {
    const [, sync] = fnNamed("IngestionSourceSyncFunction");
    expect(
      sync.Properties.Environment.Variables.STATE_MACHINE_ARN,
    ).toBeDefined();
    const statements = Object.values(template.findResources("AWS::IAM::Policy"))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((st) => JSON.stringify(st.Resource).includes("acme-policies"));
    expect(
      statements
        .map((st) => [st.Action, st.Resource])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      ["s3:GetObject", "arn:aws:s3:::acme-policies/*"],
      ["s3:GetObject", "arn:aws:s3:::acme-policies/*"],
      ["s3:ListBucket", "arn:aws:s3:::acme-policies"],
    ]);
  });
});

describe("Ingestion: the upload bucket and the dead-letter queue", () => {
  const bucket = () =>
    Object.entries(template.findResources("AWS::S3::Bucket")).find(([id]) =>
      id.startsWith("IngestionUploads"),
    )![1].Properties;

  it("is encrypted with its customer-managed key (bucket key on), versioned, closed to the public, logged, and sends events to EventBridge", () => {
    const props = bucket();
    const [rule] = props.BucketEncryption.ServerSideEncryptionConfiguration;
    expect(rule.ServerSideEncryptionByDefault.SSEAlgorithm).toBe("aws:kms");
    expect(JSON.stringify(rule.ServerSideEncryptionByDefault)).toContain(
      "IngestionUploadsKey",
    );
    expect(rule.BucketKeyEnabled).toBe(true);
    expect(props.VersioningConfiguration.Status).toBe("Enabled");
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(props.LoggingConfiguration.LogFilePrefix).toBe(
      "upload-bucket-access-logs/",
    );
    expect(props.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    // No notifications custom resource (its Lambda would use an AWS-managed policy).
    expect(template.findResources("Custom::S3BucketNotifications")).toEqual({});
    template.hasResourceProperties("AWS::KMS::Key", {
      Description: Match.stringLikeRegexp("uploads"),
      EnableKeyRotation: true,
    });
  });

  it("refuses plain HTTP and TLS below 1.2", () => {
    const [policy] = Object.values(
      template.findResources("AWS::S3::BucketPolicy"),
    ).filter((p) =>
      JSON.stringify(p.Properties.Bucket).includes("IngestionUploads"),
    );
    const denies = JSON.stringify(
      policy.Properties.PolicyDocument.Statement.filter(
        (s: State) => s.Effect === "Deny",
      ),
    );
    expect(denies).toContain('"aws:SecureTransport":"false"');
    expect(denies).toContain('"s3:TlsVersion":1.2');
  });

  it("lets browsers PUT from CloudFront's origins only, and expires staged chunks after a day", () => {
    const props = bucket();
    expect(props.CorsConfiguration.CorsRules).toEqual([
      expect.objectContaining({
        AllowedMethods: ["PUT"],
        AllowedOrigins: ["https://*.cloudfront.net"],
      }),
    ]);
    expect(props.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: "staging/", ExpirationInDays: 1 }),
        expect.objectContaining({
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
        }),
      ]),
    );
  });

  it("with a custom domain, allows exactly the website's origin", () => {
    const { template: withDomain } = synthSextant({
      domain: {
        domainName: "chat.example.com",
        certificateArn:
          "arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012",
      },
    });
    const [, props] = Object.entries(
      withDomain.findResources("AWS::S3::Bucket"),
    ).find(([id]) => id.startsWith("IngestionUploads"))!;
    expect(
      props.Properties.CorsConfiguration.CorsRules[0].AllowedOrigins,
    ).toEqual(["https://chat.example.com"]);
  });

  it("keeps dead letters 14 days, encrypted with the same key, TLS only", () => {
    const [[id, queue]] = Object.entries(
      template.findResources("AWS::SQS::Queue"),
    );
    expect(id).toMatch(/^IngestionDeadLetters/);
    expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    expect(JSON.stringify(queue.Properties.KmsMasterKeyId)).toContain(
      "IngestionUploadsKey",
    );
    const [policy] = Object.values(
      template.findResources("AWS::SQS::QueuePolicy"),
    );
    expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain(
      '"aws:SecureTransport":"false"',
    );
  });
});

describe("Ingestion: least privilege", () => {
  it("prepare reads uploads/ and bulk/ (and the source buckets) and writes staging/; embed and write touch staging/ only", () => {
    expect(s3Grants(statementsOf("IngestionPrepareRole"))).toEqual([
      { action: "s3:GetObject", prefixes: ["bulk", "uploads"] },
      { action: "s3:PutObject", prefixes: ["staging"] },
      { action: "s3:GetObject", prefixes: ['"arn:aws:s3:::acme-policies/*"'] },
    ]);
    expect(s3Grants(statementsOf("IngestionEmbedRole"))).toEqual([
      { action: "s3:GetObject", prefixes: ["staging"] },
      { action: "s3:PutObject", prefixes: ["staging"] },
    ]);
    expect(s3Grants(statementsOf("IngestionWriteRole"))).toEqual([
      { action: "s3:GetObject", prefixes: ["staging"] },
    ]);
    expect(s3Grants(statementsOf("IngestionFailRole"))).toEqual([]);
    expect(s3Grants(statementsOf("IngestionFinishRole"))).toEqual([]);
  });

  it("calls no Bedrock model unless the deployment declares embedding models (aws-readiness.test.ts has the declared case)", () => {
    for (const role of INGESTION_ROLES) {
      expect(
        actionsOf(statementsOf(`Ingestion${role}Role`)).join(),
        role,
      ).not.toContain("bedrock:");
    }
  });

  it("has no wildcard actions in its own roles, and every step but the redrive connects to the database as the application user", () => {
    for (const role of INGESTION_ROLES) {
      const actions = actionsOf(statementsOf(`Ingestion${role}Role`));
      expect(
        actions.filter((a) => a.endsWith("*")),
        role,
      ).toEqual([]);
      expect(actions.includes("rds-db:connect"), role).toBe(role !== "Redrive");
    }
  });

  it("the redrive reads the dead-letter queue and starts the state machine, nothing else", () => {
    expect(actionsOf(statementsOf("IngestionRedriveRole"))).toEqual(
      [
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:ReceiveMessage",
        "kms:Decrypt",
        "states:StartExecution",
      ].sort(),
    );
  });

  it("the API's upload-URL operation may put objects under uploads/, its delete operation delete them (and bulk/ ones), its download operation read them; no other operation touches the bucket", () => {
    expect(s3Grants(statementsOf("ChatApicreateUploadUrlRole"))).toEqual([
      { action: "s3:PutObject", prefixes: ["uploads"] },
    ]);
    expect(s3Grants(statementsOf("ChatApideleteDocumentRole"))).toEqual([
      { action: "s3:DeleteObject", prefixes: ["bulk", "uploads"] },
    ]);
    expect(s3Grants(statementsOf("ChatApidownloadDocumentRole"))).toEqual([
      { action: "s3:GetObject", prefixes: ["bulk", "uploads"] },
    ]);
    const fns = Object.entries(template.findResources("AWS::Lambda::Function"));
    const [, uploadUrl] = fns.find(([id]) =>
      id.startsWith("ChatApicreateUploadUrlHandler"),
    )!;
    expect(
      JSON.stringify(uploadUrl.Properties.Environment.Variables.UPLOAD_BUCKET),
    ).toContain("IngestionUploads");
    const others = Object.values(template.findResources("AWS::IAM::Policy"))
      .filter((p) =>
        /"ChatApi(?!createUploadUrl|deleteDocument|downloadDocument)/.test(
          JSON.stringify(p.Properties.Roles),
        ),
      )
      .map((p) => JSON.stringify(p.Properties.PolicyDocument));
    for (const doc of others) expect(doc).not.toContain("IngestionUploads");
  });

  it("the website's CSP lets the page reach the upload bucket's own origin, nothing broader", () => {
    const [policy] = Object.values(
      template.findResources("AWS::CloudFront::ResponseHeadersPolicy"),
    );
    const csp = JSON.stringify(
      policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig
        .ContentSecurityPolicy,
    );
    expect(csp).toContain("IngestionUploads");
    expect(csp).toContain("RegionalDomainName");
    expect(csp).not.toContain("*.s3");
  });
});

describe("Ingestion: the dashboard", () => {
  it("shows documents and chunks per minute, failures, Bedrock throttles and Aurora capacity", () => {
    const [dashboard] = Object.values(
      template.findResources("AWS::CloudWatch::Dashboard"),
    );
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const metric of [
      "DocumentsIngested",
      "ChunksIngested",
      "DocumentsFailed",
      "ExecutionsFailed",
      "ApproximateNumberOfMessagesVisible",
      "InvocationThrottles",
      "ServerlessDatabaseCapacity",
    ])
      expect(body, metric).toContain(metric);
  });
});
