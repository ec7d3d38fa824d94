import * as path from "path";
import { Authorizers, Integrations } from "@aws/pdk/type-safe-api";
import {
  OPERATIONS,
  type Capability,
} from "@sextant/api-typescript-handlers/model";
import { Api, type ApiIntegrations } from "@sextant/api-typescript-infra";
import type { GroupMapping } from "@sextant/core";
import { Duration, Stack } from "aws-cdk-lib";
import {
  AccessLogFormat,
  Cors,
  ResponseType,
  LogGroupLogDestination,
  MethodLoggingLevel,
} from "aws-cdk-lib/aws-apigateway";
import type { IUserPool } from "aws-cdk-lib/aws-cognito";
import {
  SecurityGroup,
  type IVpc,
  type SubnetSelection,
} from "aws-cdk-lib/aws-ec2";
import { Alias, Code, Function, Tracing } from "aws-cdk-lib/aws-lambda";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { CfnWebACLAssociation } from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";
import { EdgeFirewall } from "./edge-firewall";
import { databaseFunctionOptions } from "./function-role";
import { ModelAccess } from "./model-access";
import type { OriginVerify } from "./origin-verify";
import { StreamingLambdaIntegration } from "./streaming-lambda-integration";
import type { VectorStore } from "./vector-store";

/**
 * The Cognito calls behind each user-directory capability an operation declares with `@uses` in
 * the model (what core's cognito-user-directory.ts sends for it).
 */
const USER_DIRECTORY_ACTIONS: Partial<Record<Capability, readonly string[]>> = {
  "user-directory.list": [
    "cognito-idp:ListUsers",
    "cognito-idp:ListUsersInGroup",
  ],
  "user-directory.invite": [
    "cognito-idp:AdminCreateUser",
    "cognito-idp:AdminAddUserToGroup",
  ],
  "user-directory.update": [
    "cognito-idp:AdminDisableUser",
    "cognito-idp:AdminEnableUser",
    "cognito-idp:AdminUserGlobalSignOut",
    "cognito-idp:AdminAddUserToGroup",
    "cognito-idp:AdminRemoveUserFromGroup",
    "cognito-idp:AdminGetUser",
    "cognito-idp:AdminListGroupsForUser",
  ],
  "user-directory.groups": ["cognito-idp:AdminListGroupsForUser"],
};

/** Props for {@link ChatApi}. */
export interface ChatApiProps {
  /** The user pool whose access tokens the API accepts. */
  readonly userPool: IUserPool;
  /**
   * Origins other than the website's that may call the API from a browser (CORS). The website
   * reaches the API under its own origin (`/api` through CloudFront), which needs no CORS at all.
   * @default - none: no CORS header is ever sent
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * Directory holding one bundle per operation (`<module>/index.mjs`, the module the model's
   * operation table names).
   * @default the handlers package's `dist/lambda`
   */
  readonly handlersDist?: string;
  /** The VPC and subnets the handlers run in (to reach the database). */
  readonly network: { readonly vpc: IVpc; readonly subnets: SubnetSelection };
  /** The database the handlers connect to, as the application user with IAM authentication. */
  readonly vectorStore: VectorStore;
  /** The models the chat and search handlers may call. @default - none (offline engine only) */
  readonly models?: ModelAccess;
  /** Requests without CloudFront's origin header are blocked. @default - the stage's URL is open to direct calls */
  readonly originVerify?: OriginVerify;
  /** @default three months */
  readonly logRetention?: RetentionDays;
  /**
   * Execution environments kept initialised for the streaming (chat) handler, so no question meets
   * a cold start: provisioned concurrency on its `live` alias, which API Gateway then invokes. It
   * bills by the hour whether used or not (docs/cost.md). @default 0 (none)
   */
  readonly streamingProvisionedConcurrency?: number;
  /**
   * With single sign-on, how directory groups become Sextant's: the handlers that read the user
   * directory map a federated user's groups with it, as the pre-token trigger does, and the
   * per-request group check reads their attributes (`cognito-idp:AdminGetUser`).
   * @default - no federation
   */
  readonly groupMapping?: GroupMapping;
  /** Requests per second (steady, burst) across the API. @default 50, 100 */
  readonly throttle?: {
    readonly rateLimit: number;
    readonly burstLimit: number;
  };
}

/** API Gateway's own rejections and the error code each answers with. */
const GATEWAY_RESPONSES: readonly [ResponseType, string][] = [
  [ResponseType.UNAUTHORIZED, "Unauthenticated"],
  [ResponseType.ACCESS_DENIED, "NotAuthorized"],
  [ResponseType.BAD_REQUEST_BODY, "BadRequest"],
  [ResponseType.BAD_REQUEST_PARAMETERS, "BadRequest"],
  [ResponseType.REQUEST_TOO_LARGE, "PayloadTooLarge"],
  [ResponseType.THROTTLED, "ServiceUnavailable"],
  [ResponseType.DEFAULT_4XX, "BadRequest"],
  [ResponseType.DEFAULT_5XX, "InternalFailure"],
];

/** The API's stage name, which is also its path under the website (`/api`). */
export const API_STAGE = "api";

/** Where the handlers package builds its Lambda bundles. */
export const DEFAULT_HANDLERS_DIST = path.resolve(
  __dirname,
  "..",
  "..",
  "..",
  "api",
  "handlers",
  "typescript",
  "dist",
  "lambda",
);

/**
 * The Sextant API: the construct generated from the model, a Cognito authorizer on every
 * operation (access tokens only), CORS for the website's origin only, and one Lambda per
 * operation on the newest Node.js runtime CDK offers.
 */
export class ChatApi extends Construct {
  readonly api: Api;

  /** `<id>.execute-api.<region>.amazonaws.com`, for CloudFront to forward `/api/*` to. */
  get domainName(): string {
    const stack = Stack.of(this);
    return `${this.api.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
  }
  readonly functions: Record<string, Function>;

  constructor(scope: Construct, id: string, props: ChatApiProps) {
    super(scope, id);
    const dist = props.handlersDist ?? DEFAULT_HANDLERS_DIST;
    const models = props.models ?? new ModelAccess();
    // One security group for every handler: they all reach the same things (the database, the
    // VPC endpoints), and a group per function would cost two resources each out of
    // CloudFormation's 500 a stack.
    const securityGroup = new SecurityGroup(this, "HandlersSecurityGroup", {
      vpc: props.network.vpc,
      description:
        "Sextant API handlers: out to the database and the VPC endpoints",
      allowAllOutbound: true,
    });
    this.functions = Object.fromEntries(
      Object.values(OPERATIONS).map((op) => {
        const uses: readonly Capability[] = op.uses;
        const callsModels =
          uses.includes("chat-models") ||
          uses.includes("embedding-model") ||
          uses.includes("rerank-model");
        // API Gateway waits 29 s for a buffered response; a streamed one may run 15 minutes.
        const timeout = op.streaming
          ? Duration.minutes(5)
          : Duration.seconds(30);
        const fn = new Function(this, `${op.operationId}Handler`, {
          ...databaseFunctionOptions(this, op.operationId, {
            network: props.network,
            vectorStore: props.vectorStore,
            logRetention: props.logRetention ?? RetentionDays.THREE_MONTHS,
            timeout,
            // No request's statement may outlive API Gateway's 29 s wait.
            statementTimeout: Duration.seconds(25),
            serviceName: "sextant-api",
            environment: {
              ...(props.allowedOrigins?.length
                ? { ALLOWED_ORIGINS: props.allowedOrigins.join(",") }
                : {}),
              USER_POOL_ID: props.userPool.userPoolId,
              // What the deployment allows any inference configuration (ceiling, endpoint origins).
              ...models.environment,
              ...(callsModels ? models.callerEnvironment : {}),
            },
          }),
          securityGroups: [securityGroup],
          handler: "index.handler",
          code: Code.fromAsset(path.join(dist, op.module)),
          memorySize: 512,
          tracing: Tracing.ACTIVE,
        });
        props.vectorStore.grantConnect(fn);
        if (uses.includes("chat-models")) models.grantChat(fn);
        if (uses.includes("embedding-model")) models.grantEmbed(fn);
        if (uses.includes("rerank-model")) models.grantRerank(fn);
        for (const capability of uses) {
          const actions = USER_DIRECTORY_ACTIONS[capability];
          if (!actions) continue;
          const federated = props.groupMapping !== undefined;
          props.userPool.grant(
            fn,
            ...actions,
            ...(federated && capability === "user-directory.groups"
              ? ["cognito-idp:AdminGetUser"]
              : []),
          );
          if (federated)
            fn.addEnvironment(
              "GROUP_MAPPING",
              JSON.stringify(props.groupMapping),
            );
        }
        return [op.operationId, fn];
      }),
    );
    // Provisioned concurrency applies to a version, through an alias: API Gateway invokes the alias.
    // https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html
    const provisioned = props.streamingProvisionedConcurrency ?? 0;
    const integrations = Object.fromEntries(
      Object.values(OPERATIONS).map((op) => {
        const fn = this.functions[op.operationId];
        return [
          op.operationId,
          {
            integration: op.streaming
              ? new StreamingLambdaIntegration(
                  provisioned > 0
                    ? new Alias(this, `${op.operationId}Live`, {
                        aliasName: "live",
                        version: fn.currentVersion,
                        provisionedConcurrentExecutions: provisioned,
                      })
                    : fn,
                )
              : Integrations.lambda(fn),
          },
        ];
      }),
    ) as unknown as ApiIntegrations;

    this.api = new Api(this, "Api", {
      defaultAuthorizer: Authorizers.cognito({
        authorizerId: "cognito",
        userPools: [props.userPool],
        // With scopes, API Gateway accepts access tokens only (never ID tokens).
        authorizationScopes: ["openid"],
      }),
      ...(props.allowedOrigins?.length
        ? {
            corsOptions: {
              allowOrigins: [...props.allowedOrigins],
              allowMethods: Cors.ALL_METHODS,
              allowHeaders: [
                "Authorization",
                "Content-Type",
                "If-Match",
                "Idempotency-Key",
              ],
              exposeHeaders: ["ETag", "Retry-After"],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
      deployOptions: {
        // The stage is the path CloudFront forwards: https://<website>/api/... → stage "api".
        stageName: API_STAGE,
        accessLogDestination: new LogGroupLogDestination(
          new LogGroup(this, "AccessLogs", {
            retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
          }),
        ),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: MethodLoggingLevel.ERROR,
        tracingEnabled: true,
        throttlingRateLimit: props.throttle?.rateLimit ?? 50,
        throttlingBurstLimit: props.throttle?.burstLimit ?? 100,
      },
      integrations,
      // API Gateway's own rejections (authorizer, request validation, size, throttling) in
      // Sextant's one error shape, like the handlers' errors. In the OpenAPI body, not as separate
      // resources, which an update of a body-defined API may drop.
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.html
      gatewayResponses: GATEWAY_RESPONSES.map(([type, code]) => ({
        type,
        templates: {
          "application/json": `{"code":"${code}","message":$context.error.messageString}`,
        },
      })),
      // Our own web ACL below (PDK's has no rate-based rule).
      webAclOptions: { disable: true },
    });

    // The stage's own web ACL. With the origin check, it admits only requests that came through
    // CloudFront, whose web ACL has inspected them (rate limits, body size, rule groups). Without
    // it, callers of the stage's URL meet a rate limit per IP (higher than at the edge: traffic
    // through CloudFront arrives from its edge addresses) and the common rule set.
    const firewall = new EdgeFirewall(this, "Firewall", {
      scope: "REGIONAL",
      ...(props.originVerify
        ? {
            firstRules: [(priority) => props.originVerify!.rule(priority)],
            inspect: false,
          }
        : {
            requestsPer5Minutes: 10_000,
            ruleGroups: ["AWSManagedRulesCommonRuleSet"],
          }),
    });
    new CfnWebACLAssociation(this, "FirewallAssociation", {
      resourceArn: this.api.api.deploymentStage.stageArn,
      webAclArn: firewall.webAcl.attrArn,
    });
  }

  /** The functions of the operations that declare `capability` with `@uses` in the model. */
  functionsUsing(capability: Capability): Function[] {
    return Object.values(OPERATIONS)
      .filter((op) => (op.uses as readonly Capability[]).includes(capability))
      .map((op) => this.functions[op.operationId]);
  }
}
