import { DEFAULT_MAX_TOKENS_CEILING } from "@sextant/core";
import { Stack, Token } from "aws-cdk-lib";
import { InterfaceVpcEndpointAwsService } from "aws-cdk-lib/aws-ec2";
import { Grant, PolicyStatement, type IGrantable } from "aws-cdk-lib/aws-iam";
import type { IConstruct } from "constructs";

/**
 * The models a deployment may call. An administrator picks models at runtime, in the inference
 * configuration; IAM can only allow what the deployment declares here (context keys
 * `bedrockModels`, `bedrockEmbeddingModels`, `sagemakerEndpoints`, docs/deploy.md).
 */
export interface ModelAccessProps {
  /**
   * Bedrock text models (classify, condense, answer): foundation-model ids
   * (`anthropic.claude-3-5-haiku-20241022-v1:0`) or cross-region inference profile ids
   * (`us.anthropic.claude-sonnet-4-20250514-v1:0`; prefixes `us`, `eu`, `apac`, `global`, …).
   * @default - none: a configuration naming a Bedrock text model is refused by IAM
   */
  readonly bedrockModels?: readonly string[];
  /** Bedrock embedding models, the same way. @default - none */
  readonly bedrockEmbeddingModels?: readonly string[];
  /**
   * Bedrock reranker models (`amazon.rerank-v1:0`, `cohere.rerank-v3-5:0`), for the configuration's
   * `retrieval.rerank`: foundation-model ids, called through the Rerank API in this region.
   * @default - none: a configuration naming a Bedrock reranker is refused by IAM
   */
  readonly bedrockRerankModels?: readonly string[];
  /**
   * Bedrock guardrails a configuration may apply (`guardrails.bedrock`): guardrail ids or ARNs.
   * The chat handlers get `bedrock:ApplyGuardrail` on exactly these (Converse with a guardrail
   * needs it too). @default - none
   */
  readonly bedrockGuardrails?: readonly string[];
  /**
   * Create a starter guardrail ({@link StarterGuardrail}) and let the chat handlers apply it.
   * @default false
   */
  readonly starterGuardrail?: boolean;
  /**
   * Let a configuration have Amazon Comprehend find personal data (`guardrails.piiDetector:
   * comprehend`): the chat handlers get `comprehend:DetectPiiEntities`. @default false
   */
  readonly comprehendPii?: boolean;
  /** SageMaker endpoint names for text models. @default - none */
  readonly sagemakerEndpoints?: readonly string[];
  /**
   * Origins (`https://host[:port]`) an OpenAI-compatible model endpoint may be at; reaching one
   * outside AWS also needs `natGateway`. @default - none
   */
  readonly endpointOrigins?: readonly string[];
  /** The ceiling on every text step's `maxTokens`. @default 4096 */
  readonly maxTokens?: number;
  /**
   * `retrieval`: a configuration change is saved only with a finished evaluation of that draft
   * whose retrieval figures are no worse than the version it replaces (docs/evaluation.md).
   * @default - off
   */
  readonly qualityGate?: "retrieval";
  /**
   * A Secrets Manager secret holding the OpenAI-compatible server's key and the one origin it is
   * sent to, as JSON `{ "origin": "https://…", "apiKey": "…" }`. @default - no key is sent
   */
  readonly openAiApiKeySecretArn?: string;
}

/** Prefixes of Bedrock's system-defined cross-region inference profiles. */
const INFERENCE_PROFILE_PREFIX = /^(us|us-gov|eu|apac|jp|au|ca|global)\./;
const BEDROCK_MODEL_ID = /^[a-z0-9-]+\.[A-Za-z0-9._:-]+$/;
const SAGEMAKER_ENDPOINT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const GUARDRAIL =
  /^([a-z0-9]+|arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail\/[a-z0-9]+)$/;

/** Checks the declared models at synth, naming the context key of a malformed one. */
export function checkModelAccess(props: ModelAccessProps): void {
  for (const [key, ids] of [
    ["bedrockModels", props.bedrockModels],
    ["bedrockEmbeddingModels", props.bedrockEmbeddingModels],
    ["bedrockRerankModels", props.bedrockRerankModels],
  ] as const) {
    for (const id of ids ?? []) {
      if (!BEDROCK_MODEL_ID.test(id) || id.includes("*"))
        throw new Error(
          `Context '${key}': '${id}' is not a Bedrock model or inference profile id (for example anthropic.claude-3-5-haiku-20241022-v1:0 or us.anthropic.claude-3-5-haiku-20241022-v1:0).`,
        );
    }
  }
  for (const id of props.bedrockGuardrails ?? []) {
    if (!Token.isUnresolved(id) && !GUARDRAIL.test(id))
      throw new Error(
        `Context 'bedrockGuardrails': '${id}' is not a guardrail id or ARN (for example gr7abc123xyz).`,
      );
  }
  for (const id of props.bedrockRerankModels ?? []) {
    if (INFERENCE_PROFILE_PREFIX.test(id))
      throw new Error(
        `Context 'bedrockRerankModels': '${id}' is an inference profile; the Rerank API takes a foundation model (for example amazon.rerank-v1:0).`,
      );
  }
  for (const origin of props.endpointOrigins ?? []) {
    if (!/^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(origin))
      throw new Error(
        `Context 'modelEndpointOrigins': '${origin}' is not an https origin (https://host[:port]).`,
      );
  }
  if (
    props.maxTokens !== undefined &&
    (!Number.isInteger(props.maxTokens) ||
      props.maxTokens < 1 ||
      props.maxTokens > 200_000)
  )
    throw new Error(
      `Context 'maxTokens' is '${props.maxTokens}': use a whole number from 1 to 200000.`,
    );
  if (
    props.openAiApiKeySecretArn !== undefined &&
    !/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/.test(
      props.openAiApiKeySecretArn,
    )
  )
    throw new Error(
      `Context 'openAiApiKeySecretArn': '${props.openAiApiKeySecretArn}' is not a Secrets Manager secret ARN.`,
    );
  for (const name of props.sagemakerEndpoints ?? []) {
    if (!SAGEMAKER_ENDPOINT_NAME.test(name))
      throw new Error(
        `Context 'sagemakerEndpoints': '${name}' is not a SageMaker endpoint name.`,
      );
  }
}

/**
 * IAM for Bedrock invocation, exactly per model. A foundation model is invoked in this region. A
 * cross-region inference profile needs the profile in this region and its foundation model in
 * every region the profile may route to; the latter only through that profile
 * (`bedrock:InferenceProfileArn`). Converse and ConverseStream are authorized as InvokeModel and
 * InvokeModelWithResponseStream.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html
 * https://docs.aws.amazon.com/bedrock/latest/userguide/conversation-inference-call.html
 */
export function bedrockInvokeStatements(
  scope: IConstruct,
  modelIds: readonly string[],
  actions: readonly string[],
): PolicyStatement[] {
  const stack = Stack.of(scope);
  const foundationModel = (region: string, id: string) =>
    `arn:${stack.partition}:bedrock:${region}::foundation-model/${id}`;
  const direct = modelIds.filter((id) => !INFERENCE_PROFILE_PREFIX.test(id));
  const statements: PolicyStatement[] = [];
  if (direct.length) {
    statements.push(
      new PolicyStatement({
        actions: [...actions],
        resources: direct.map((id) => foundationModel(stack.region, id)),
      }),
    );
  }
  for (const id of modelIds.filter((m) => INFERENCE_PROFILE_PREFIX.test(m))) {
    const profileArn = `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:inference-profile/${id}`;
    statements.push(
      new PolicyStatement({ actions: [...actions], resources: [profileArn] }),
      new PolicyStatement({
        actions: [...actions],
        resources: [
          foundationModel("*", id.replace(INFERENCE_PROFILE_PREFIX, "")),
        ],
        conditions: {
          StringEquals: { "bedrock:InferenceProfileArn": profileArn },
        },
      }),
    );
  }
  return statements;
}

const TEXT_ACTIONS = [
  "bedrock:InvokeModel",
  "bedrock:InvokeModelWithResponseStream",
];
const EMBEDDING_ACTIONS = ["bedrock:InvokeModel"];

/** Grants to the declared models, like an L2's `grantX`. */
export class ModelAccess {
  constructor(private readonly props: ModelAccessProps = {}) {
    checkModelAccess(props);
  }

  /** The deployment's policy for the handlers (core's `deploymentPolicyFromEnv` reads it). */
  get environment(): Record<string, string> {
    return {
      SEXTANT_MAX_TOKENS: String(
        this.props.maxTokens ?? DEFAULT_MAX_TOKENS_CEILING,
      ),
      ...(this.props.endpointOrigins?.length
        ? {
            SEXTANT_MODEL_ENDPOINT_ORIGINS:
              this.props.endpointOrigins.join(","),
          }
        : {}),
      ...(this.props.qualityGate
        ? { SEXTANT_QUALITY_GATE: this.props.qualityGate }
        : {}),
    };
  }

  /** The VPC interface endpoints the declared models need (the handlers have no other way out). */
  get interfaceEndpoints(): InterfaceVpcEndpointAwsService[] {
    return [
      ...((this.props.bedrockModels?.length ?? 0) +
        (this.props.bedrockEmbeddingModels?.length ?? 0) +
        (this.props.bedrockGuardrails?.length ?? 0) >
      0
        ? [InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME]
        : []),
      // The Rerank API is on the Agents for Bedrock runtime (bedrock-agent-runtime).
      ...(this.props.bedrockRerankModels?.length
        ? [InterfaceVpcEndpointAwsService.BEDROCK_AGENT_RUNTIME]
        : []),
      ...(this.props.sagemakerEndpoints?.length
        ? [InterfaceVpcEndpointAwsService.SAGEMAKER_RUNTIME]
        : []),
      ...(this.props.comprehendPii
        ? [InterfaceVpcEndpointAwsService.COMPREHEND]
        : []),
      ...(this.props.openAiApiKeySecretArn
        ? [InterfaceVpcEndpointAwsService.SECRETS_MANAGER]
        : []),
    ];
  }

  /**
   * Where a function that calls models finds the OpenAI-compatible key's secret (only those
   * functions get it, with {@link grantChat} or {@link grantEmbed}).
   */
  get callerEnvironment(): Record<string, string> {
    const arn = this.props.openAiApiKeySecretArn;
    return arn ? { SEXTANT_OPENAI_API_KEY_SECRET_ARN: arn } : {};
  }

  /**
   * What the chat chain calls: text models (streamed or not), SageMaker endpoints, the declared
   * rerankers, and the embedder.
   */
  grantChat(grantee: IGrantable): Grant {
    const scope = grantee.grantPrincipal as unknown as IConstruct;
    const endpoints = this.props.sagemakerEndpoints ?? [];
    const stack = Stack.of(scope);
    return grantStatements(grantee, [
      ...bedrockInvokeStatements(
        scope,
        this.props.bedrockModels ?? [],
        TEXT_ACTIONS,
      ),
      ...(endpoints.length
        ? [
            new PolicyStatement({
              actions: [
                "sagemaker:InvokeEndpoint",
                "sagemaker:InvokeEndpointWithResponseStream",
              ],
              // SageMaker writes endpoint names in lower case in its ARNs.
              resources: endpoints.map((name) =>
                stack.formatArn({
                  service: "sagemaker",
                  resource: "endpoint",
                  resourceName: name.toLowerCase(),
                }),
              ),
            }),
          ]
        : []),
      // DetectPiiEntities has no resource-level permissions.
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncomprehend.html
      ...(this.props.comprehendPii
        ? [
            new PolicyStatement({
              actions: ["comprehend:DetectPiiEntities"],
              resources: ["*"],
            }),
          ]
        : []),
      // Converse with a guardrail, and ApplyGuardrail for answers not on Bedrock, need it.
      // https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions.html
      ...(this.props.bedrockGuardrails?.length
        ? [
            new PolicyStatement({
              actions: ["bedrock:ApplyGuardrail"],
              resources: this.props.bedrockGuardrails.map((g) =>
                Token.isUnresolved(g) || g.startsWith("arn:")
                  ? g
                  : stack.formatArn({
                      service: "bedrock",
                      resource: "guardrail",
                      resourceName: g,
                    }),
              ),
            }),
          ]
        : []),
    ])
      .combine(this.grantRerank(grantee))
      .combine(this.grantEmbed(grantee));
  }

  /**
   * What reranking calls: the Rerank API with each declared reranker. Rerank takes the model by
   * ARN and authorizes it as InvokeModel on that model; bedrock:Rerank itself has no
   * resource-level permissions, so its Resource is "*" (and without a model grant it reranks
   * nothing). A Cohere-compatible reranker's key comes with {@link grantEmbed}, which every
   * function that reranks also has.
   * https://docs.aws.amazon.com/bedrock/latest/userguide/rerank-prereq.html
   * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html
   */
  grantRerank(grantee: IGrantable): Grant {
    const rerankers = this.props.bedrockRerankModels ?? [];
    return grantStatements(grantee, [
      ...(rerankers.length
        ? [
            new PolicyStatement({
              actions: ["bedrock:Rerank"],
              resources: ["*"],
            }),
            ...bedrockInvokeStatements(
              grantee.grantPrincipal as unknown as IConstruct,
              rerankers,
              ["bedrock:InvokeModel"],
            ),
          ]
        : []),
    ]);
  }

  /** What embedding a question or a document calls: the embedding models only (and the key of an OpenAI-compatible embedder). */
  grantEmbed(grantee: IGrantable): Grant {
    const arn = this.props.openAiApiKeySecretArn;
    return grantStatements(grantee, [
      ...(arn
        ? [
            new PolicyStatement({
              actions: ["secretsmanager:GetSecretValue"],
              resources: [arn],
            }),
          ]
        : []),
      ...bedrockInvokeStatements(
        grantee.grantPrincipal as unknown as IConstruct,
        this.props.bedrockEmbeddingModels ?? [],
        EMBEDDING_ACTIONS,
      ),
    ]);
  }
}

/** One grant of several statements on the grantee's principal (none: a grant of nothing). */
function grantStatements(
  grantee: IGrantable,
  statements: readonly PolicyStatement[],
): Grant {
  return statements
    .map((s) =>
      Grant.addToPrincipal({
        grantee,
        actions: s.actions,
        resourceArns: s.resources,
        ...(Object.keys(s.conditions ?? {}).length
          ? { conditions: s.conditions }
          : {}),
      }),
    )
    .reduce(
      (all, one) => all.combine(one),
      Grant.drop(grantee, "no statement"),
    );
}
