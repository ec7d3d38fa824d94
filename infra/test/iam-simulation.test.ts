import { runSimulation } from "@cloud-copilot/iam-simulate";
import { describe, expect, it, vi } from "vitest";
import { synthSextant } from "./fixtures";
import {
  ACCOUNT,
  templateResolver,
  type Resource,
} from "./iam/resolve-template";

/**
 * Every AWS call each function makes, evaluated by an IAM policy simulator against that
 * function's synthesized role policies (and the key, bucket and queue policies that apply), with
 * the ARNs a deployment would have. Synth and assertions prove the shape of the stack; this proves
 * each function may do its job, and may not do a list of powerful things that are not its job.
 *
 * The calls are declared here per function, each from the code that makes it (named beside it),
 * and the last block runs that code through stand-in SDK clients that record what it sends: user
 * administration, document deletion, the models, the embedder, the key secret, the ingestion
 * steps (on a real embedded store), the redrive and the migration. A function CDK or PDK owns is
 * listed in REVIEWED_NO_CALLS with the reason it is left out.
 */
const REGION = "eu-west-1";
const OPENAI_KEY = `arn:aws:secretsmanager:${REGION}:111111111111:secret:sextant/openai-AbCdEf`;
const MODELS = {
  bedrockModels: [
    "us.anthropic.claude-3-5-haiku-20241022-v1:0",
    "anthropic.claude-3-haiku-20240307-v1:0",
  ],
  bedrockEmbeddingModels: ["amazon.titan-embed-text-v2:0"],
  bedrockRerankModels: ["amazon.rerank-v1:0"],
  bedrockGuardrails: ["gr7abc123"],
  comprehendPii: true,
  sagemakerEndpoints: ["My-Endpoint"],
  openAiApiKeySecretArn: OPENAI_KEY,
};
const SOURCE_BUCKET = "acme-policies";
const { stack, template } = synthSextant({
  models: MODELS,
  sourceBuckets: [SOURCE_BUCKET],
});
const resources = template.toJSON().Resources as Record<string, Resource>;
const resolve = templateResolver(resources, {
  region: REGION,
  stackName: stack.stackName,
});

const idOf = (prefix: string, type?: string): string => {
  const ids = Object.keys(resources).filter(
    (id) => id.startsWith(prefix) && (!type || resources[id].Type === type),
  );
  if (ids.length !== 1)
    throw new Error(`${ids.length} resources start with ${prefix}`);
  return ids[0];
};
const att = (prefix: string, attr = "Arn", type?: string): string =>
  resolve({ "Fn::GetAtt": [idOf(prefix, type), attr] });
const ref = (prefix: string, type?: string): string =>
  resolve({ Ref: idOf(prefix, type) });

// The ARNs the calls are made on.
const cluster = idOf("VectorStoreCluster", "AWS::RDS::DBCluster");
const dbUser = (user: string) =>
  `arn:aws:rds-db:${REGION}:${ACCOUNT}:dbuser:${att(cluster, "DBClusterResourceId")}/${user}`;
const uploads = ref("IngestionUploads", "AWS::S3::Bucket");
const object = (key: string) => `arn:aws:s3:::${uploads}/${key}`;
const ingestionKey = att("IngestionUploadsKey", "Arn", "AWS::KMS::Key");
const vectorStoreKey = att("VectorStoreKey", "Arn", "AWS::KMS::Key");
const userPool = att("IdentityUserPool", "Arn", "AWS::Cognito::UserPool");
const deadLetters = att("IngestionDeadLetters", "Arn", "AWS::SQS::Queue");
const stateMachine = ref(
  "IngestionStateMachine",
  "AWS::StepFunctions::StateMachine",
);
const masterSecret = att(cluster, "MasterUserSecret.SecretArn");
const originSecret = ref("OriginVerifyValue", "AWS::SecretsManager::Secret");
const profile = `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0`;
const foundationModel = (region: string, id: string) =>
  `arn:aws:bedrock:${region}::foundation-model/${id}`;

interface Call {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string>;
  /** The resource policy that also applies (key, bucket or queue policy), by logical-id prefix. */
  readonly resourcePolicyOf?: string;
}

const TLS = { "aws:SecureTransport": "true" };
const connect: Call = {
  action: "rds-db:connect",
  resource: dbUser("sextant_app"),
};
const embed: Call = {
  action: "bedrock:InvokeModel",
  resource: foundationModel(REGION, "amazon.titan-embed-text-v2:0"),
};
/** packages/core/src/providers/openai-key.ts, where a model may be an OpenAI-compatible server. */
const openAiKey: Call = {
  action: "secretsmanager:GetSecretValue",
  resource: OPENAI_KEY,
};
/**
 * packages/core/src/providers/rerankers.ts: Rerank (no resource-level permissions), and the model
 * it names, authorized as InvokeModel. https://docs.aws.amazon.com/bedrock/latest/userguide/rerank-prereq.html
 */
const rerank: Call[] = [
  { action: "bedrock:Rerank", resource: "*" },
  {
    action: "bedrock:InvokeModel",
    resource: foundationModel(REGION, "amazon.rerank-v1:0"),
  },
];
/** packages/core/src/providers/bedrock.ts: ApplyGuardrail (and Converse with a guardrail) on the configured guardrail. */
const guardrail = (id: string) =>
  `arn:aws:bedrock:${REGION}:${ACCOUNT}:guardrail/${id}`;
const applyGuardrail: Call = {
  action: "bedrock:ApplyGuardrail",
  resource: guardrail("gr7abc123"),
};
/** ConverseStream is authorized as InvokeModelWithResponseStream (packages/core/src/providers/bedrock.ts). */
/** packages/core/src/providers/comprehend-pii.ts, with `guardrails.piiDetector: comprehend`. */
const detectPii: Call = {
  action: "comprehend:DetectPiiEntities",
  resource: "*",
};
const chat: Call[] = [
  connect,
  embed,
  openAiKey,
  ...rerank,
  applyGuardrail,
  detectPii,
  {
    action: "bedrock:InvokeModelWithResponseStream",
    resource: foundationModel(REGION, "anthropic.claude-3-haiku-20240307-v1:0"),
  },
  { action: "bedrock:InvokeModelWithResponseStream", resource: profile },
  // The profile routes to its model in another region: allowed only through the profile.
  {
    action: "bedrock:InvokeModelWithResponseStream",
    resource: foundationModel(
      "us-east-2",
      "anthropic.claude-3-5-haiku-20241022-v1:0",
    ),
    context: { "bedrock:InferenceProfileArn": profile },
  },
  // packages/core/src/providers/sagemaker.ts (SageMaker writes endpoint names in lower case)
  {
    action: "sagemaker:InvokeEndpoint",
    resource: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/my-endpoint`,
  },
];
const cognito = (...actions: string[]): Call[] =>
  actions.map((a) => ({ action: `cognito-idp:${a}`, resource: userPool }));
const kms = (key: string, policyOf: string, ...actions: string[]): Call[] =>
  actions.map((a) => ({
    action: `kms:${a}`,
    resource: key,
    resourcePolicyOf: policyOf,
  }));
const s3 = (action: string, key: string): Call => ({
  action: `s3:${action}`,
  resource: object(key),
  context: TLS,
  resourcePolicyOf: "IngestionUploadsPolicy",
});

/** What each function calls, by logical-id prefix, besides writing its own logs. */
const CALLS: Record<string, Call[]> = {
  // Every API handler reads the caller's current access (authorize interceptor) from Postgres.
  // Asking and searching also read the asker's groups as they are now (withCurrentGroups).
  ChatApipostMessageHandler: [...chat, ...cognito("AdminListGroupsForUser")],
  ChatApistreamMessageHandler: [...chat, ...cognito("AdminListGroupsForUser")],
  ChatApisearchDocumentsHandler: [
    connect,
    embed,
    openAiKey,
    ...rerank,
    ...cognito("AdminListGroupsForUser"),
  ],
  // packages/core/src/evaluation/advance-run.ts: the chain and the judge, as the chat handlers.
  ChatApigetEvaluationRunHandler: chat,
  // packages/core/src/users/cognito-user-directory.ts
  ChatApilistUsersHandler: [
    connect,
    ...cognito("ListUsers", "ListUsersInGroup"),
  ],
  ChatApiinviteUserHandler: [
    connect,
    ...cognito("AdminCreateUser", "AdminAddUserToGroup"),
  ],
  ChatApiupdateUserHandler: [
    connect,
    ...cognito(
      "AdminDisableUser",
      "AdminEnableUser",
      "AdminUserGlobalSignOut",
      "AdminAddUserToGroup",
      "AdminRemoveUserFromGroup",
      "AdminGetUser",
      "AdminListGroupsForUser",
    ),
  ],
  // packages/core/src/documents/s3-upload-target.ts: the presigned PUT runs as this role.
  ChatApicreateUploadUrlHandler: [
    connect,
    s3("PutObject", "uploads/report.pdf"),
    ...kms(ingestionKey, "IngestionUploadsKey", "GenerateDataKey"),
  ],
  // packages/core/src/chat/shares.ts: the viewer's groups as the directory has them now.
  ChatApigetSharedConversationHandler: [
    connect,
    ...cognito("AdminListGroupsForUser"),
  ],
  // packages/core/src/documents/s3-upload-target.ts: the presigned GET runs as this role.
  ChatApidownloadDocumentHandler: [
    connect,
    ...cognito("AdminListGroupsForUser"),
    s3("GetObject", "uploads/report.pdf"),
    s3("GetObject", "bulk/2024/report.pdf"),
    ...kms(ingestionKey, "IngestionUploadsKey", "Decrypt"),
  ],
  ChatApideleteDocumentHandler: [
    connect,
    s3("DeleteObject", "uploads/report.pdf"),
    s3("DeleteObject", "bulk/2024/report.pdf"),
  ],
  // packages/core/src/ingest/aws-steps.ts
  IngestionPrepareFunction: [
    connect,
    s3("GetObject", "uploads/report.pdf"),
    s3("GetObject", "bulk/2024/report.pdf"),
    s3("PutObject", "staging/run-1/report.json"),
    ...kms(ingestionKey, "IngestionUploadsKey", "Decrypt", "GenerateDataKey"),
    // Textract's actions take no resource ARN.
    { action: "textract:GetDocumentTextDetection", resource: "*" },
    // An object of a registered S3 source (-c sourceBuckets).
    {
      action: "s3:GetObject",
      resource: `arn:aws:s3:::${SOURCE_BUCKET}/hr/leave.txt`,
    },
  ],
  // packages/core/src/sources/s3-sync.ts
  IngestionSourceSyncFunction: [
    connect,
    { action: "s3:ListBucket", resource: `arn:aws:s3:::${SOURCE_BUCKET}` },
    { action: "states:StartExecution", resource: stateMachine },
  ],
  IngestionEmbedFunction: [
    connect,
    embed,
    openAiKey,
    s3("GetObject", "staging/run-1/report.json"),
    s3("PutObject", "staging/run-1/report.vectors.json"),
    ...kms(ingestionKey, "IngestionUploadsKey", "Decrypt", "GenerateDataKey"),
  ],
  IngestionWriteFunction: [
    connect,
    s3("GetObject", "staging/run-1/report.vectors.json"),
    ...kms(ingestionKey, "IngestionUploadsKey", "Decrypt"),
  ],
  IngestionFailFunction: [connect],
  IngestionFinishFunction: [connect],
  // infra/src/lambda/ingest-redrive.ts (DeleteMessageBatch is authorized as DeleteMessage)
  IngestionRedriveFunction: [
    { action: "sqs:ReceiveMessage", resource: deadLetters },
    { action: "sqs:DeleteMessage", resource: deadLetters },
    ...kms(ingestionKey, "IngestionUploadsKey", "Decrypt"),
    { action: "states:StartExecution", resource: stateMachine },
  ],
  // infra/src/lambda/migrate.ts, through the RDS Data API as the master user
  VectorStoreMigrate: [
    ...[
      "ExecuteStatement",
      "BeginTransaction",
      "CommitTransaction",
      "RollbackTransaction",
    ].map((a) => ({
      action: `rds-data:${a}`,
      resource: att(cluster, "DBClusterArn"),
    })),
    { action: "secretsmanager:GetSecretValue", resource: masterSecret },
    ...kms(vectorStoreKey, "VectorStoreKey", "Decrypt"),
  ],
  IdentityPreTokenGeneration: [],
};
// The API handlers that call nothing but the database.
for (const id of Object.keys(resources)) {
  const m = /^(ChatApi(?!PrepareSpec)\w+Handler)[0-9A-F]{8}$/.exec(id);
  if (m && resources[id].Type === "AWS::Lambda::Function" && !CALLS[m[1]])
    CALLS[m[1]] = [connect];
}

/** Functions whose calls are not ours to declare, and why. */
const REVIEWED_NO_CALLS: Record<string, string> = {
  ChatApiPrepareSpec:
    "PDK's spec preparation (deploy time): reads and writes the spec in CDK's asset bucket; its policy is PDK's, scoped to that prefix.",
  CustomS3AutoDeleteObjects:
    "CDK's provider that empties the website buckets on stack deletion (dev only).",
  CustomCDKBucketDeployment:
    "CDK's BucketDeployment that copies the built website (nag-suppressed, docs/security.md).",
  AWSCDKCfnUtilsProvider: "CDK's CfnJson provider: makes no AWS call.",
  CustomCrossRegionExportReader:
    "CDK's reader of the us-east-1 stack's exports (the edge web ACL's ARN): ssm:GetParameters on those exports only.",
  CustomVpcRestrictDefaultSG:
    "CDK's provider that closes the VPC's default security group (ec2:Revoke* on that group).",
};

/** Powerful actions no function may take, but the functions named in `except`, whose job it is. */
const MUST_BE_DENIED: (Call & { readonly except?: readonly string[] })[] = [
  { action: "iam:PassRole", resource: `arn:aws:iam::${ACCOUNT}:role/any` },
  { action: "iam:CreateRole", resource: `arn:aws:iam::${ACCOUNT}:role/any` },
  { action: "s3:DeleteBucket", resource: `arn:aws:s3:::${uploads}` },
  {
    action: "s3:PutObject",
    resource: object("uploads/x"),
    context: TLS,
    except: ["ChatApicreateUploadUrlHandler"],
  },
  {
    action: "s3:GetObject",
    resource: object("uploads/x"),
    context: TLS,
    // The download handler presigns the GET a reader of the document's collection makes.
    except: ["IngestionPrepareFunction", "ChatApidownloadDocumentHandler"],
  },
  // A source bucket is read, never written: not by prepare, not by the sync.
  {
    action: "s3:PutObject",
    resource: `arn:aws:s3:::${SOURCE_BUCKET}/hr/x.txt`,
  },
  {
    action: "s3:DeleteObject",
    resource: `arn:aws:s3:::${SOURCE_BUCKET}/hr/x.txt`,
  },
  {
    action: "s3:GetObject",
    resource: `arn:aws:s3:::${SOURCE_BUCKET}/hr/x.txt`,
    except: ["IngestionPrepareFunction"],
  },
  { action: "s3:PutObject", resource: object("other/x"), context: TLS },
  { action: "kms:ScheduleKeyDeletion", resource: ingestionKey },
  {
    action: "kms:Decrypt",
    resource: vectorStoreKey,
    except: ["VectorStoreMigrate"],
  },
  {
    action: "secretsmanager:GetSecretValue",
    resource: masterSecret,
    except: ["VectorStoreMigrate"],
  },
  { action: "secretsmanager:GetSecretValue", resource: originSecret },
  {
    ...openAiKey,
    except: [
      "ChatApipostMessageHandler",
      "ChatApistreamMessageHandler",
      "ChatApisearchDocumentsHandler",
      "ChatApigetEvaluationRunHandler",
      "IngestionEmbedFunction",
    ],
  },
  { action: "bedrock:ApplyGuardrail", resource: guardrail("other123") },
  {
    ...detectPii,
    except: [
      "ChatApipostMessageHandler",
      "ChatApistreamMessageHandler",
      "ChatApigetEvaluationRunHandler",
    ],
  },
  {
    ...applyGuardrail,
    except: [
      "ChatApipostMessageHandler",
      "ChatApistreamMessageHandler",
      "ChatApigetEvaluationRunHandler",
    ],
  },
  {
    ...rerank[0],
    except: [
      "ChatApipostMessageHandler",
      "ChatApistreamMessageHandler",
      "ChatApisearchDocumentsHandler",
      "ChatApigetEvaluationRunHandler",
    ],
  },
  { action: "rds:DeleteDBCluster", resource: att(cluster, "DBClusterArn") },
  { action: "rds-db:connect", resource: dbUser("sextant_admin") },
  {
    action: "rds-data:ExecuteStatement",
    resource: att(cluster, "DBClusterArn"),
    except: ["VectorStoreMigrate"],
  },
  { action: "cognito-idp:AdminDeleteUser", resource: userPool },
  { action: "cognito-idp:AdminSetUserPassword", resource: userPool },
  {
    action: "cognito-idp:AdminCreateUser",
    resource: userPool,
    except: ["ChatApiinviteUserHandler"],
  },
  {
    action: "bedrock:InvokeModel",
    resource: foundationModel(REGION, "anthropic.claude-opus-4-20250514-v1:0"),
  },
  {
    // A declared profile's model, but called directly in another region.
    action: "bedrock:InvokeModel",
    resource: foundationModel(
      "us-east-2",
      "anthropic.claude-3-5-haiku-20241022-v1:0",
    ),
  },
  {
    action: "states:StartExecution",
    resource: stateMachine,
    except: ["IngestionRedriveFunction", "IngestionSourceSyncFunction"],
  },
  {
    action: "lambda:UpdateFunctionCode",
    resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:any`,
  },
];

/** The policies that apply to a function's role: attached inline policies and the role's own. */
function identityPoliciesOf(
  fnId: string,
  from: {
    resources: Record<string, Resource>;
    resolve: (v: any) => any;
  } = {
    resources,
    resolve,
  },
) {
  const { resources: all, resolve: resolveIn } = from;
  const roleId = all[fnId].Properties!.Role["Fn::GetAtt"][0] as string;
  const role = all[roleId].Properties!;
  const attached = Object.entries(all)
    .filter(
      ([, r]) =>
        r.Type === "AWS::IAM::Policy" &&
        (r.Properties!.Roles as unknown[]).some((x: any) => x?.Ref === roleId),
    )
    .map(([id, r]) => ({
      name: id,
      policy: resolveIn(r.Properties!.PolicyDocument),
    }));
  const inline = ((role.Policies ?? []) as any[]).map((p) => ({
    name: p.PolicyName,
    policy: resolveIn(p.PolicyDocument),
  }));
  return {
    roleArn: `arn:aws:iam::${ACCOUNT}:role/${roleId.toLowerCase()}`,
    policies: [...attached, ...inline],
    managed: (role.ManagedPolicyArns ?? []) as unknown[],
  };
}

function resourcePolicyOf(prefix: string) {
  const id = idOf(prefix);
  const r = resources[id];
  const doc =
    r.Type === "AWS::KMS::Key"
      ? r.Properties!.KeyPolicy
      : r.Properties!.PolicyDocument;
  return resolve(doc);
}

async function decide(
  principal: string,
  policies: { name: string; policy: unknown }[],
  call: Call,
): Promise<string> {
  const response = await runSimulation(
    {
      identityPolicies: policies as any,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(call.resourcePolicyOf
        ? { resourcePolicy: resourcePolicyOf(call.resourcePolicyOf) }
        : {}),
      request: {
        action: call.action,
        principal,
        resource: { accountId: ACCOUNT, resource: call.resource },
        contextVariables: call.context ?? {},
      },
    } as any,
    {},
  );
  if (response.resultType === "error")
    throw new Error(
      `${call.action} on ${call.resource}: ${JSON.stringify(response.errors)}`,
    );
  return response.overallResult;
}

const functions = Object.keys(resources).filter(
  (id) => resources[id].Type === "AWS::Lambda::Function",
);
const declared = (fnId: string) =>
  Object.keys(CALLS).find((prefix) => fnId.startsWith(prefix));

describe("IAM simulation: each function may make its calls, and no more (@cloud-copilot/iam-simulate)", () => {
  it("covers every function: by its calls, or by a reviewed reason", () => {
    const uncovered = functions.filter(
      (id) =>
        !declared(id) &&
        !Object.keys(REVIEWED_NO_CALLS).some((p) => id.startsWith(p)),
    );
    expect(uncovered).toEqual([]);
  });

  it.each(functions.filter((id) => declared(id)))(
    "%s is allowed every call it makes, and writes its own logs",
    async (fnId) => {
      const { roleArn, policies, managed } = identityPoliciesOf(fnId);
      expect(managed, "no AWS-managed policies").toEqual([]);
      const logGroup = resolve(
        resources[fnId].Properties!.LoggingConfig?.LogGroup ?? null,
      );
      const calls: Call[] = [
        ...CALLS[declared(fnId)!],
        ...(logGroup
          ? ["CreateLogStream", "PutLogEvents"].map((a) => ({
              action: `logs:${a}`,
              resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${logGroup}:log-stream:2026/11/30/abc`,
            }))
          : []),
      ];
      const denied: string[] = [];
      for (const call of calls) {
        const result = await decide(roleArn, policies, call);
        if (result !== "Allowed")
          denied.push(`${call.action} on ${call.resource}: ${result}`);
      }
      expect(denied).toEqual([]);
    },
  );

  it.each(functions.filter((id) => declared(id)))(
    "%s is denied powerful actions that are not its job",
    async (fnId) => {
      const { roleArn, policies } = identityPoliciesOf(fnId);
      const allowed: string[] = [];
      for (const call of MUST_BE_DENIED) {
        if (call.except?.some((p) => fnId.startsWith(p))) continue;
        if ((await decide(roleArn, policies, call)) === "Allowed")
          allowed.push(`${call.action} on ${call.resource}`);
      }
      expect(allowed).toEqual([]);
    },
  );

  it("catches a missing grant: without the declared models, the chat handler may not call Bedrock", async () => {
    const bare = synthSextant();
    const bareResources = bare.template.toJSON().Resources as Record<
      string,
      Resource
    >;
    const bareResolve = templateResolver(bareResources, {
      region: REGION,
      stackName: bare.stack.stackName,
    });
    const fnId = Object.keys(bareResources).find(
      (id) =>
        id.startsWith("ChatApistreamMessageHandler") &&
        bareResources[id].Type === "AWS::Lambda::Function",
    )!;
    const { roleArn, policies } = identityPoliciesOf(fnId, {
      resources: bareResources,
      resolve: bareResolve,
    });
    expect(await decide(roleArn, policies, chat[2])).toBe("ImplicitlyDenied");
  });
});

/**
 * A stand-in for an AWS SDK client: records each command the code sends (its class and input),
 * and answers with a response shaped as the service documents it.
 */
function recordingClient(answers: Record<string, (input: any) => unknown>) {
  const sent: { command: string; input: any }[] = [];
  return {
    sent,
    client: {
      send: async (command: { constructor: { name: string }; input: any }) => {
        const name = command.constructor.name.replace(/Command$/, "");
        sent.push({ command: name, input: command.input });
        const answer = answers[name];
        if (!answer) throw new Error(`no recorded response for ${name}`);
        return answer(command.input);
      },
    } as any,
  };
}

/** The IAM action and resource of a recorded SDK command (https://docs.aws.amazon.com/service-authorization/latest/reference/). */
function asCall(
  service: string,
  { command, input }: { command: string; input: any },
): Call {
  switch (service) {
    case "cognito-idp":
      expect(input.UserPoolId).toBe(
        ref("IdentityUserPool", "AWS::Cognito::UserPool"),
      );
      return { action: `cognito-idp:${command}`, resource: userPool };
    case "s3":
      return s3(command, input.Key);
    case "bedrock": {
      const action =
        {
          ConverseStream: "InvokeModelWithResponseStream",
          Converse: "InvokeModel",
        }[command as "Converse"] ?? command;
      if (command === "ApplyGuardrail")
        return {
          action: "bedrock:ApplyGuardrail",
          resource: guardrail(input.guardrailIdentifier),
        };
      const profileId = /^(us|eu|apac|global)\./.test(input.modelId);
      return {
        action: `bedrock:${action}`,
        resource: profileId
          ? `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/${input.modelId}`
          : foundationModel(REGION, input.modelId),
      };
    }
    case "comprehend":
      return { action: `comprehend:${command}`, resource: "*" };
    case "bedrock-agent":
      // Rerank names its model by ARN; the model is authorized as InvokeModel (declared beside it).
      return { action: `bedrock:${command}`, resource: "*" };
    case "sagemaker":
      return {
        action: `sagemaker:${command}`,
        resource: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/${String(input.EndpointName).toLowerCase()}`,
      };
    case "secretsmanager":
      return { action: `secretsmanager:${command}`, resource: input.SecretId };
  }
  throw new Error(`no mapping for ${service}`);
}

describe("the declared calls are the ones the code sends (recorded through stand-in SDK clients)", () => {
  const core = () => import("@sextant/core/aws");
  const rag = () => import("@sextant/core/rag");
  const declaredFor = (prefix: string) =>
    CALLS[prefix].map((c) => `${c.action} ${c.resource}`);
  const expectDeclared = (
    prefix: string,
    service: string,
    sent: { command: string; input: any }[],
  ) => {
    expect(sent.length, prefix).toBeGreaterThan(0);
    for (const call of sent.map((s) => asCall(service, s)))
      expect(
        declaredFor(prefix),
        `${prefix} sends ${call.action} on ${call.resource}`,
      ).toContain(`${call.action} ${call.resource}`);
  };
  const poolId = () => ref("IdentityUserPool", "AWS::Cognito::UserPool");
  const cognitoAnswers = {
    ListUsersInGroup: () => ({ Users: [] }),
    ListUsers: () => ({ Users: [] }),
    AdminCreateUser: (i: any) => ({
      User: { Username: i.Username, Attributes: [] },
    }),
    AdminAddUserToGroup: () => ({}),
    AdminRemoveUserFromGroup: () => ({}),
    AdminDisableUser: () => ({}),
    AdminEnableUser: () => ({}),
    AdminUserGlobalSignOut: () => ({}),
    AdminGetUser: (i: any) => ({
      Username: i.Username,
      Enabled: true,
      UserAttributes: [],
    }),
    AdminListGroupsForUser: () => ({ Groups: [] }),
  };

  it("user administration: each handler sends only what it declares", async () => {
    const { CognitoUserDirectory } = await core();
    const list = recordingClient(cognitoAnswers);
    await new CognitoUserDirectory(poolId(), list.client).list();
    expectDeclared("ChatApilistUsersHandler", "cognito-idp", list.sent);
    const invite = recordingClient(cognitoAnswers);
    await new CognitoUserDirectory(poolId(), invite.client).invite({
      username: "lin",
      email: "lin@example.com",
      administrator: true,
    });
    expectDeclared("ChatApiinviteUserHandler", "cognito-idp", invite.sent);
    const update = recordingClient(cognitoAnswers);
    const directory = new CognitoUserDirectory(poolId(), update.client);
    await directory.update("lin", { enabled: false, administrator: false });
    await directory.update("lin", { enabled: true, administrator: true });
    await directory.update("lin", { administrator: false });
    expectDeclared("ChatApiupdateUserHandler", "cognito-idp", update.sent);
    // The asker's groups, read at each question and search, in the shape Cognito documents
    // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminListGroupsForUser.html).
    for (const prefix of [
      "ChatApipostMessageHandler",
      "ChatApistreamMessageHandler",
      "ChatApisearchDocumentsHandler",
    ]) {
      const groups = recordingClient({
        AdminListGroupsForUser: () => ({
          Groups: [{ GroupName: "Analysts", UserPoolId: poolId() }],
        }),
      });
      expect(
        await new CognitoUserDirectory(poolId(), groups.client).groupsOf("lin"),
      ).toEqual(["Analysts"]);
      expectDeclared(prefix, "cognito-idp", groups.sent);
    }
  });

  it("deleting a document sends only the object deletions it declares", async () => {
    const { S3UploadTarget } = await core();
    const rec = recordingClient({ DeleteObject: () => ({}) });
    const target = new S3UploadTarget(uploads, rec.client);
    await target.removeUpload(`s3://${uploads}/uploads/report.pdf`);
    // Not its key under uploads/ or bulk/: never sent.
    await target.removeUpload(`s3://${uploads}/staging/run-1/report.json`);
    await target.removeUpload(`s3://${uploads}/bulk/2024/report.pdf`);
    expectDeclared("ChatApideleteDocumentHandler", "s3", rec.sent);
  });

  it("the chain's models send only what the chat handlers declare, and the embedder what search and ingestion declare", async () => {
    const {
      BedrockConverseModel,
      BedrockEmbedder,
      BedrockGuardrailChecker,
      SageMakerModel,
    } = await rag();
    const { openAiKeyFromEnvironment } = await core();
    const bedrock = recordingClient({
      ApplyGuardrail: () => ({ action: "NONE", outputs: [] }),
      ConverseStream: () => ({ stream: (async function* () {})() }),
      InvokeModel: () => ({
        body: new TextEncoder().encode(
          JSON.stringify({ embedding: [0.1, 0.2] }),
        ),
      }),
    });
    for (const id of MODELS.bedrockModels)
      for await (const _ of new BedrockConverseModel(
        id,
        bedrock.client,
      ).generate({ system: "s", user: "u" }, { maxTokens: 5, temperature: 0 }));
    await new BedrockGuardrailChecker(
      { guardrailIdentifier: "gr7abc123", guardrailVersion: "1", trace: false },
      bedrock.client,
    ).check("input", "a question");
    const sagemaker = recordingClient({
      InvokeEndpoint: () => ({
        Body: new TextEncoder().encode(
          JSON.stringify([{ generated_text: "ok" }]),
        ),
      }),
    });
    for await (const _ of new SageMakerModel(
      "tgi",
      "My-Endpoint",
      sagemaker.client,
    ).generate({ system: "s", user: "u" }, { maxTokens: 5, temperature: 0 }));
    const embedder = recordingClient({
      InvokeModel: () => ({
        body: new TextEncoder().encode(
          JSON.stringify({ embedding: [0.1, 0.2] }),
        ),
      }),
    });
    await new BedrockEmbedder(
      "amazon.titan-embed-text-v2:0",
      2,
      embedder.client,
    ).embed(["a question"]);
    const secrets = recordingClient({
      GetSecretValue: () => ({
        SecretString: JSON.stringify({
          origin: "https://llm.example.com",
          apiKey: "k",
        }),
      }),
    });
    await openAiKeyFromEnvironment(
      { SEXTANT_OPENAI_API_KEY_SECRET_ARN: OPENAI_KEY },
      secrets.client,
    );
    for (const handler of [
      "ChatApipostMessageHandler",
      "ChatApistreamMessageHandler",
      "ChatApigetEvaluationRunHandler",
    ]) {
      expectDeclared(handler, "bedrock", bedrock.sent);
      expectDeclared(handler, "sagemaker", sagemaker.sent);
      expectDeclared(handler, "bedrock", embedder.sent);
      expectDeclared(handler, "secretsmanager", secrets.sent);
    }
    for (const fn of [
      "ChatApisearchDocumentsHandler",
      "IngestionEmbedFunction",
    ]) {
      expectDeclared(fn, "bedrock", embedder.sent);
      expectDeclared(fn, "secretsmanager", secrets.sent);
    }
  });
});

describe("the reranker's declared calls are the ones it sends (recorded through a stand-in SDK client)", () => {
  it("Comprehend's redactor sends only DetectPiiEntities, as the chat handlers declare", async () => {
    const { ComprehendPiiRedactor } = await import("@sextant/core/rag");
    const comprehend = recordingClient({
      DetectPiiEntities: () => ({ Entities: [] }),
    });
    await new ComprehendPiiRedactor("en", comprehend.client).redact(
      "Did Jane Doe write?",
    );
    expect(comprehend.sent.map((s) => s.command)).toEqual([
      "DetectPiiEntities",
    ]);
    for (const handler of [
      "ChatApipostMessageHandler",
      "ChatApistreamMessageHandler",
    ])
      expect(CALLS[handler].map((c) => `${c.action} ${c.resource}`)).toContain(
        `${asCall("comprehend", comprehend.sent[0]).action} *`,
      );
  });

  it("sends Rerank naming the declared model in this region, as the chat handlers and search declare", async () => {
    const { BedrockReranker } = await import("@sextant/core/rag");
    const agent = recordingClient({
      Rerank: () => ({ results: [{ index: 0, relevanceScore: 0.9 }] }),
    });
    agent.client.config = { region: async () => REGION };
    await new BedrockReranker("amazon.rerank-v1:0", agent.client).rerank(
      "canals",
      ["Canals carry grain."],
      1,
    );
    expect(agent.sent).toHaveLength(1);
    const modelArn =
      agent.sent[0].input.rerankingConfiguration.bedrockRerankingConfiguration
        .modelConfiguration.modelArn;
    for (const handler of [
      "ChatApipostMessageHandler",
      "ChatApistreamMessageHandler",
      "ChatApisearchDocumentsHandler",
    ]) {
      const calls = CALLS[handler].map((c) => `${c.action} ${c.resource}`);
      expect(calls).toContain(
        `${asCall("bedrock-agent", agent.sent[0]).action} *`,
      );
      expect(calls).toContain(`bedrock:InvokeModel ${modelArn}`);
    }
  });
});

describe("the declared calls of the ingestion, redrive and migration functions are the ones their code sends (recorded)", () => {
  const sqsArnOf = (queueUrl: string) => {
    const [, , host, account, name] = queueUrl.split("/");
    return `arn:aws:sqs:${host.split(".")[1]}:${account}:${name}`;
  };
  const envOf = (prefix: string) =>
    resolve(
      resources[idOf(prefix, "AWS::Lambda::Function")].Properties!.Environment
        .Variables,
    );
  const declaredCalls = (prefix: string) =>
    CALLS[prefix].map((c) => `${c.action} ${c.resource}`);

  it("the redrive sends only what it declares, to the queue and state machine its environment names", async () => {
    const { SQSClient, ReceiveMessageCommand, DeleteMessageBatchCommand } =
      await import("@aws-sdk/client-sqs");
    const { SFNClient, StartExecutionCommand } =
      await import("@aws-sdk/client-sfn");
    const { mockClient } = await import("aws-sdk-client-mock");
    const sqs = mockClient(SQSClient);
    const sfn = mockClient(SFNClient);
    const env = envOf("IngestionRedriveFunction");
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [
          {
            MessageId: "1",
            ReceiptHandle: "r-1",
            Body: JSON.stringify({
              bucket: uploads,
              key: "uploads/a.pdf",
              error: { Error: "ModelUnavailableError" },
            }),
          },
        ],
      })
      .resolves({ Messages: [] });
    sqs
      .on(DeleteMessageBatchCommand)
      .resolves({ Successful: [{ Id: "1" }], Failed: [] });
    sfn.on(StartExecutionCommand).resolves({ executionArn: "arn:execution" });
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      vi.resetModules();
      const { handler } = await import("../src/lambda/ingest-redrive");
      await handler({} as never);
    } finally {
      process.env = saved;
    }
    const sent = [
      ...sqs.calls().map((c) => {
        const input = c.args[0].input as { QueueUrl: string };
        const name = c.args[0].constructor.name
          .replace(/Command$/, "")
          .replace(/Batch$/, "");
        return `sqs:${name} ${sqsArnOf(input.QueueUrl)}`;
      }),
      ...sfn
        .calls()
        .map(
          (c) =>
            `states:StartExecution ${(c.args[0].input as { stateMachineArn: string }).stateMachineArn}`,
        ),
    ];
    expect(sent.length).toBeGreaterThan(2);
    for (const call of sent)
      expect(declaredCalls("IngestionRedriveFunction"), call).toContain(call);
    sqs.restore();
    sfn.restore();
  });

  it("the schema migration sends only the Data API calls it declares, on the cluster its properties name", async () => {
    const {
      RDSDataClient,
      BeginTransactionCommand,
      CommitTransactionCommand,
      ExecuteStatementCommand,
    } = await import("@aws-sdk/client-rds-data");
    const { mockClient } = await import("aws-sdk-client-mock");
    const rdsData = mockClient(RDSDataClient);
    rdsData.on(BeginTransactionCommand).resolves({ transactionId: "tx" });
    rdsData.on(CommitTransactionCommand).resolves({});
    rdsData.on(ExecuteStatementCommand).resolves({ records: [] });
    const respond = vi
      .spyOn(globalThis, "fetch")
      .mockResolvedValue(new Response(""));
    const [schemaId] = Object.keys(resources).filter(
      (id) => resources[id].Type === "Custom::SextantSchema",
    );
    const properties = resolve(resources[schemaId].Properties);
    const { handler } = await import("../src/lambda/migrate");
    await handler({
      RequestType: "Create",
      ResponseURL: "https://cloudformation-response.invalid/",
      StackId: "stack",
      RequestId: "req",
      LogicalResourceId: "Schema",
      ResourceType: "Custom::SextantSchema",
      ResourceProperties: properties,
    } as never);
    expect(JSON.parse(String(respond.mock.calls[0][1]!.body)).Status).toBe(
      "SUCCESS",
    );
    respond.mockRestore();
    const sent = rdsData.calls().map((c) => {
      const input = c.args[0].input as {
        resourceArn: string;
        secretArn: string;
      };
      expect(input.secretArn).toBe(masterSecret);
      return `rds-data:${c.args[0].constructor.name.replace(/Command$/, "")} ${input.resourceArn}`;
    });
    expect(sent.length).toBeGreaterThan(3);
    for (const call of sent)
      expect(declaredCalls("VectorStoreMigrate"), call).toContain(call);
    rdsData.restore();
  });

  it("the ingestion steps send only the object reads and writes each declares (a real embedded store)", async () => {
    const { openDatabase } = await import("@sextant/core/embedded");
    const { prepareStep, embedStep, writeStep } =
      await import("@sextant/core/aws-ingestion");
    const { LocalEmbedder } = await import("@sextant/core/rag");
    const store = await openDatabase(undefined, "");
    const objects = new Map<string, Uint8Array>([
      [
        "uploads/report.txt",
        new TextEncoder().encode("The harbour was dredged for larger ships."),
      ],
    ]);
    const sent: Record<string, string[]> = {};
    let step = "";
    const recordingS3 = {
      send: async (command: { constructor: { name: string }; input: any }) => {
        const name = command.constructor.name.replace(/Command$/, "");
        expect(command.input.Bucket).toBe(uploads);
        (sent[step] ??= []).push(`s3:${name} ${object(command.input.Key)}`);
        if (name === "PutObject") {
          const body = command.input.Body;
          objects.set(
            command.input.Key,
            typeof body === "string"
              ? new TextEncoder().encode(body)
              : new Uint8Array(body),
          );
          return {};
        }
        const body = objects.get(command.input.Key);
        if (!body) throw new Error(`no object ${command.input.Key}`);
        return {
          Body: { transformToByteArray: async () => new Uint8Array(body) },
        };
      },
    } as any;
    const deps = {
      db: store.db,
      s3: recordingS3,
      // A text document needs no OCR: Textract is never called here (its grant is checked above).
      textract: () => {
        throw new Error("Textract was not expected");
      },
      uploadBucket: uploads,
      embedder: async () => new LocalEmbedder(384),
    };
    try {
      step = "IngestionPrepareFunction";
      const prepared = await prepareStep(deps, {
        bucket: uploads,
        key: "uploads/report.txt",
      });
      step = "IngestionEmbedFunction";
      const embedded = await embedStep(deps, prepared);
      step = "IngestionWriteFunction";
      await writeStep(deps, embedded);
    } finally {
      await store.close();
    }
    expect(Object.keys(sent)).toEqual([
      "IngestionPrepareFunction",
      "IngestionEmbedFunction",
      "IngestionWriteFunction",
    ]);
    // Staging keys are content hashes: a declared call stands for its prefix.
    const shape = (call: string) =>
      call.replace(/\/(uploads|bulk|staging)\/.*$/, "/$1/*");
    for (const [fn, calls] of Object.entries(sent))
      for (const call of calls)
        expect(declaredCalls(fn).map(shape), `${fn}: ${call}`).toContain(
          shape(call),
        );
  });
});
