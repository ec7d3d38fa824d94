import { readFileSync } from "fs";
import * as path from "path";
import { App, Stack } from "aws-cdk-lib";
import { Code, Function, Runtime } from "aws-cdk-lib/aws-lambda";
import { VALIDATE_AGAINST_DEFAULT_RULES } from "aws-cdk-lib/cx-api";
import { describe, expect, it } from "vitest";
import { synthSextant } from "./fixtures";
import { cloudFormationFindings } from "../src/cloudformation-findings";
import { readContext } from "../src/config/context";
import { COMMON_RULE_SET_BODY_SIZE_RULE } from "../src/constructs/edge-firewall";
import { NewestNodeRuntime } from "../src/constructs/newest-node-runtime";

// Defects a review found before the first deployment (issue 21), each pinned by a test here.
const MODELS = {
  maxTokens: 2000,
  qualityGate: "retrieval" as const,
  endpointOrigins: ["https://llm.example.com"],
  bedrockModels: [
    "us.anthropic.claude-3-5-haiku-20241022-v1:0",
    "anthropic.claude-3-haiku-20240307-v1:0",
  ],
  bedrockEmbeddingModels: ["amazon.titan-embed-text-v2:0"],
  bedrockRerankModels: ["amazon.rerank-v1:0"],
  bedrockGuardrails: ["gr7abc123"],
  sagemakerEndpoints: ["My-Endpoint"],
  openAiApiKeySecretArn:
    "arn:aws:secretsmanager:eu-west-1:111111111111:secret:sextant/openai-AbCdEf",
};
const withModels = synthSextant({ models: MODELS });
const { template } = withModels;
type Resources = Record<
  string,
  { Type: string; Properties: Record<string, any> }
>;
const resources = template.toJSON().Resources as Resources;
/** The us-east-1 stack's resources (CloudFront's web ACL), since the test stack is in eu-west-1. */
const edgeResources = withModels.app
  .synth()
  .getStackByName(withModels.stack.edge!.stackName).template
  .Resources as Resources;

/** The statements of the inline policies attached to the role of the function whose logical id starts with `prefix`. */
function statementsOf(prefix: string): Record<string, any>[] {
  const functions = Object.keys(resources).filter(
    (id) =>
      id.startsWith(prefix) && resources[id].Type === "AWS::Lambda::Function",
  );
  expect(functions, prefix).toHaveLength(1);
  const [fnId] = functions;
  const roleId = resources[fnId].Properties.Role["Fn::GetAtt"][0];
  return Object.values(resources)
    .filter(
      (r) =>
        r.Type === "AWS::IAM::Policy" &&
        JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`),
    )
    .flatMap((r) => r.Properties.PolicyDocument.Statement);
}
const actionsOf = (statements: Record<string, any>[], service: string) =>
  statements.filter((s) =>
    [s.Action].flat().some((a: string) => a.startsWith(`${service}:`)),
  );

describe("Bedrock and SageMaker grants follow the declared models", () => {
  it("lets the chat handlers invoke each declared text model, streamed or not, in this region", () => {
    for (const fn of ["ChatApipostMessage", "ChatApistreamMessage"]) {
      const bedrock = actionsOf(statementsOf(fn), "bedrock");
      expect(JSON.stringify(bedrock)).toContain(
        "::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
      );
      const direct = bedrock.find((s) =>
        JSON.stringify(s.Resource).includes("claude-3-haiku-20240307"),
      )!;
      expect(direct.Action).toEqual([
        "bedrock:InvokeModel",
        "bedrock:InvokeModelWithResponseStream",
      ]);
      expect(JSON.stringify(direct.Resource)).toContain(":bedrock:eu-west-1::");
    }
  });

  it("grants a cross-region profile in this region, and its model in every region only through that profile", () => {
    const bedrock = actionsOf(statementsOf("ChatApistreamMessage"), "bedrock");
    const profileArn =
      "arn:aws:bedrock:eu-west-1:111111111111:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0";
    const json = (x: unknown) =>
      JSON.stringify(withModels.stack.resolve(x)).replace(
        /\{"Ref":"AWS::Partition"\}/g,
        "aws",
      );
    expect(
      bedrock.some((s) => json(s.Resource).includes(profileArn.slice(8))),
    ).toBe(true);
    const routed = bedrock.find((s) =>
      json(s.Resource).includes(
        ":bedrock:*::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0",
      ),
    )!;
    // Only through the profile: its ARN, exactly, is the condition.
    expect(withModels.stack.resolve(routed.Condition)).toEqual({
      StringEquals: {
        "bedrock:InferenceProfileArn": {
          "Fn::Join": [
            "",
            [
              "arn:",
              { Ref: "AWS::Partition" },
              profileArn.slice("arn:aws".length),
            ],
          ],
        },
      },
    });
  });

  it("lets the ingestion embed step invoke the embedding model only, and search the embedding model and the reranker", () => {
    const embed = actionsOf(statementsOf("IngestionEmbedFunction"), "bedrock");
    expect(embed).toHaveLength(1);
    expect(embed[0].Action).toBe("bedrock:InvokeModel");
    expect(JSON.stringify(embed[0].Resource)).toContain(
      "foundation-model/amazon.titan-embed-text-v2:0",
    );
    const search = actionsOf(statementsOf("ChatApisearchDocuments"), "bedrock");
    expect(search.map((s) => [s.Action, JSON.stringify(s.Resource)])).toEqual(
      expect.arrayContaining([
        ["bedrock:Rerank", '"*"'],
        [
          "bedrock:InvokeModel",
          expect.stringContaining("foundation-model/amazon.rerank-v1:0"),
        ],
        [
          "bedrock:InvokeModel",
          expect.stringContaining(
            "foundation-model/amazon.titan-embed-text-v2:0",
          ),
        ],
      ]),
    );
    expect(search).toHaveLength(3);
  });

  it("lets the chat handlers rerank with the declared reranker: bedrock:Rerank (no resource-level permissions) and InvokeModel on its model in this region", () => {
    for (const fn of ["ChatApipostMessage", "ChatApistreamMessage"]) {
      const statements = actionsOf(statementsOf(fn), "bedrock");
      expect(statements.filter((s) => s.Action === "bedrock:Rerank")).toEqual([
        expect.objectContaining({ Effect: "Allow", Resource: "*" }),
      ]);
      expect(JSON.stringify(statements)).toContain(
        ":bedrock:eu-west-1::foundation-model/amazon.rerank-v1:0",
      );
    }
  });

  it("lets the chat handlers, and nothing else, apply exactly the declared guardrail", () => {
    const apply = (fn: string) =>
      statementsOf(fn).filter((s) => s.Action === "bedrock:ApplyGuardrail");
    for (const fn of ["ChatApipostMessage", "ChatApistreamMessage"])
      expect(apply(fn).map((s) => JSON.stringify(s.Resource))).toEqual([
        expect.stringMatching(/:bedrock:eu-west-1:.*:guardrail\/gr7abc123"/),
      ]);
    expect(apply("ChatApisearchDocuments")).toEqual([]);
    expect(apply("IngestionEmbedFunction")).toEqual([]);
  });

  it("creates the starter guardrail only on request, publishes its version, and lets the chat handlers apply it", () => {
    const starter = synthSextant({
      models: { starterGuardrail: true },
    }).template;
    starter.resourceCountIs("AWS::Bedrock::Guardrail", 1);
    starter.resourceCountIs("AWS::Bedrock::GuardrailVersion", 1);
    const [guardrail] = Object.values(
      starter.findResources("AWS::Bedrock::Guardrail"),
    ) as { Properties: Record<string, any> }[];
    const filters = guardrail.Properties.ContentPolicyConfig.FiltersConfig;
    expect(filters).toContainEqual({
      Type: "PROMPT_ATTACK",
      InputStrength: "HIGH",
      OutputStrength: "NONE",
    });
    for (const type of ["HATE", "INSULTS", "SEXUAL", "VIOLENCE", "MISCONDUCT"])
      expect(filters).toContainEqual({
        Type: type,
        InputStrength: "HIGH",
        OutputStrength: "HIGH",
      });
    expect(JSON.stringify(starter.toJSON())).toMatch(
      /"Action":"bedrock:ApplyGuardrail","Effect":"Allow","Resource":\{"Fn::GetAtt":\["StarterGuardrail\w+","GuardrailArn"\]\}/,
    );
    starter.hasOutput("StarterGuardrailId", {});
    // Without the key, none.
    expect(
      Object.keys(resources).some((id) => id.startsWith("StarterGuardrail")),
    ).toBe(false);
  });

  it("lets the chat handlers invoke the named SageMaker endpoints (lower-cased, as SageMaker's ARNs are), and nobody else", () => {
    const sagemaker = actionsOf(
      statementsOf("ChatApipostMessage"),
      "sagemaker",
    );
    expect(sagemaker[0].Action).toEqual([
      "sagemaker:InvokeEndpoint",
      "sagemaker:InvokeEndpointWithResponseStream",
    ]);
    expect(JSON.stringify(sagemaker[0].Resource)).toContain(
      "endpoint/my-endpoint",
    );
    expect(
      actionsOf(statementsOf("ChatApisearchDocuments"), "sagemaker"),
    ).toEqual([]);
  });

  it("tells the functions that call models where the OpenAI-compatible key is, and only them", () => {
    const withKey = Object.entries(resources)
      .filter(
        ([, r]) =>
          r.Type === "AWS::Lambda::Function" &&
          r.Properties.Environment?.Variables
            ?.SEXTANT_OPENAI_API_KEY_SECRET_ARN,
      )
      .map(([id]) => id.replace(/[0-9A-F]{8}$/, ""));
    expect(withKey.sort()).toEqual([
      "ChatApigetEvaluationRunHandler",
      "ChatApipostMessageHandler",
      "ChatApisearchDocumentsHandler",
      "ChatApistreamMessageHandler",
      "IngestionEmbedFunction",
    ]);
  });

  it("gives no other function any Bedrock or SageMaker permission", () => {
    const allowed =
      /^(ChatApi(postMessage|streamMessage|searchDocuments|getEvaluationRun)|IngestionEmbedFunction)/;
    for (const [id, r] of Object.entries(resources)) {
      if (r.Type !== "AWS::Lambda::Function" || allowed.test(id)) continue;
      const invoke = statementsOf(id).filter((s) =>
        /bedrock:|sagemaker:Invoke/.test(JSON.stringify(s.Action)),
      );
      expect(invoke, id).toEqual([]);
    }
  });

  it("hands every handler the deployment's ceiling on maxTokens, its model endpoint origins and its quality gate", () => {
    const handlers = Object.values(resources).filter(
      (r) =>
        r.Type === "AWS::Lambda::Function" &&
        r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME ===
          "sextant-api",
    );
    expect(handlers.length).toBeGreaterThan(20);
    for (const fn of handlers)
      expect(fn.Properties.Environment.Variables).toMatchObject({
        SEXTANT_MAX_TOKENS: "2000",
        SEXTANT_MODEL_ENDPOINT_ORIGINS: "https://llm.example.com",
        SEXTANT_QUALITY_GATE: "retrieval",
      });
  });

  it("opens VPC endpoints for Bedrock and SageMaker runtimes when models are declared, even in dev", () => {
    const services = Object.values(resources)
      .filter((r) => r.Type === "AWS::EC2::VPCEndpoint")
      .map((r) => JSON.stringify(r.Properties.ServiceName));
    expect(services.some((s) => s.includes("bedrock-runtime"))).toBe(true);
    expect(services.some((s) => s.includes("bedrock-agent-runtime"))).toBe(
      true,
    );
    expect(services.some((s) => s.includes("sagemaker.runtime"))).toBe(true);
    expect(services.some((s) => s.includes("secretsmanager"))).toBe(true);
  });

  it("reads the models from context keys and refuses a malformed id, naming the key", () => {
    const ctx = (values: Record<string, string>) =>
      readContext((k) => values[k]);
    expect(
      ctx({
        bedrockModels:
          "us.anthropic.claude-3-5-haiku-20241022-v1:0, anthropic.claude-3-haiku-20240307-v1:0",
      }).models?.bedrockModels,
    ).toHaveLength(2);
    expect(ctx({}).models).toBeUndefined();
    expect(() => ctx({ bedrockModels: "anthropic.*" })).toThrow(
      /Context 'bedrockModels'/,
    );
    expect(() => ctx({ bedrockRerankModels: "us.amazon.rerank-v1:0" })).toThrow(
      /Context 'bedrockRerankModels'.*inference profile/,
    );
    expect(
      ctx({ bedrockRerankModels: "amazon.rerank-v1:0" }).models
        ?.bedrockRerankModels,
    ).toEqual(["amazon.rerank-v1:0"]);
    expect(() => ctx({ sagemakerEndpoints: "bad_name!" })).toThrow(
      /Context 'sagemakerEndpoints'/,
    );
    expect(() =>
      ctx({ modelEndpointOrigins: "http://llm.example.com" }),
    ).toThrow(/Context 'modelEndpointOrigins'/);
    expect(() => ctx({ maxTokens: "lots" })).toThrow(/Context 'maxTokens'/);
    expect(() => ctx({ bedrockGuardrails: "arn:aws:iam::1:role/x" })).toThrow(
      /Context 'bedrockGuardrails'/,
    );
    expect(() => ctx({ comprehendPii: "yes" })).toThrow(
      /Context 'comprehendPii'/,
    );
    expect(ctx({ comprehendPii: "true" }).models).toEqual({
      comprehendPii: true,
    });
    expect(() => ctx({ starterGuardrail: "yes" })).toThrow(
      /Context 'starterGuardrail'/,
    );
    expect(() => ctx({ qualityGate: "strict" })).toThrow(
      /Context 'qualityGate'/,
    );
    expect(ctx({ qualityGate: "retrieval" }).models).toEqual({
      qualityGate: "retrieval",
    });
    expect(ctx({ qualityGate: "off" }).models).toBeUndefined();
    expect(
      ctx({
        modelEndpointOrigins: "https://llm.example.com",
        maxTokens: "1000",
      }).models,
    ).toEqual({
      endpointOrigins: ["https://llm.example.com"],
      maxTokens: 1000,
    });
  });
});

describe("CDK's CloudFormation validation is a failure, not a warning", () => {
  it("is switched on in cdk.json", () => {
    const cdkJson = JSON.parse(
      readFileSync(path.join(__dirname, "..", "cdk.json"), "utf8"),
    );
    expect(cdkJson.context[VALIDATE_AGAINST_DEFAULT_RULES]).toBe(true);
  });

  it("reports a deprecated Node.js runtime (a failure in main.ts and the fixtures); NewestNodeRuntime moves such a function, as it does PDK's", () => {
    const synth = (fix: boolean) => {
      const app = new App({
        context: { [VALIDATE_AGAINST_DEFAULT_RULES]: true },
      });
      const stack = new Stack(app, "Old");
      new Function(stack, "Fn", {
        runtime: Runtime.NODEJS_20_X,
        handler: "index.handler",
        code: Code.fromInline("exports.handler = async () => 1;"),
      });
      if (fix) NewestNodeRuntime.applyTo(stack);
      return cloudFormationFindings(app.synth().directory);
    };
    expect(synth(false)).toEqual([
      expect.stringMatching(
        /W2531 \(warning\) at Old\/Fn\/Resource: Runtime: Runtime 'nodejs20\.x' was deprecated/,
      ),
    ]);
    expect(synth(true)).toEqual([]);
  });

  it("runs every function of the stack, PDK's and CDK's included, on nodejs24.x or Python", () => {
    const runtimes = Object.entries(resources)
      .filter(([, r]) => r.Type === "AWS::Lambda::Function")
      .map(([id, r]) => [id, r.Properties.Runtime]);
    expect(runtimes.find(([id]) => id.includes("PrepareSpec"))?.[1]).toBe(
      "nodejs24.x",
    );
    for (const [id, runtime] of runtimes)
      expect(runtime, id).toMatch(/^(nodejs24\.x|python3\.1[3-9])$/);
  });

  it("defines API Gateway's own error responses in the OpenAPI body, not as separate resources", () => {
    template.resourceCountIs("AWS::ApiGateway::GatewayResponse", 0);
    const responses =
      withModels.stack.chatApi.api.extendedApiSpecification[
        "x-amazon-apigateway-gateway-responses"
      ];
    expect(responses.UNAUTHORIZED.responseTemplates["application/json"]).toBe(
      '{"code":"Unauthenticated","message":$context.error.messageString}',
    );
    expect(Object.keys(responses).sort()).toEqual([
      "ACCESS_DENIED",
      "BAD_REQUEST_BODY",
      "BAD_REQUEST_PARAMETERS",
      "DEFAULT_4XX",
      "DEFAULT_5XX",
      "REQUEST_TOO_LARGE",
      "THROTTLED",
      "UNAUTHORIZED",
    ]);
  });
});

describe("Cognito sessions", () => {
  it("enforces threat protection under the Plus plan, without the deprecated advancedSecurityMode", () => {
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      UserPoolTier: "PLUS",
      UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" },
    });
    const identity = readFileSync(
      path.join(__dirname, "..", "src", "constructs", "identity.ts"),
      "utf8",
    );
    expect(identity).not.toMatch(/advancedSecurityMode|AdvancedSecurityMode/);
  });

  it("revokes tokens at sign-out, and bounds every token: access and ID 15 minutes, refresh 1 day", () => {
    const [client] = Object.values(resources).filter(
      (r) => r.Type === "AWS::Cognito::UserPoolClient",
    );
    expect(client.Properties).toMatchObject({
      EnableTokenRevocation: true,
      AccessTokenValidity: 15,
      IdTokenValidity: 15,
      RefreshTokenValidity: 1440,
      TokenValidityUnits: {
        AccessToken: "minutes",
        IdToken: "minutes",
        RefreshToken: "minutes",
      },
    });
  });

  it("rotates refresh tokens on every use, with a 10-second grace for retries", () => {
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 10 },
    });
  });
});

describe("Web ACLs", () => {
  const acls = Object.entries({ ...resources, ...edgeResources }).filter(
    ([, r]) => r.Type === "AWS::WAFv2::WebACL",
  );

  const edge = () =>
    acls.filter(([, a]) => a.Properties.Scope === "CLOUDFRONT");

  it("count the common rule set's 8 KB body rule and block bodies larger than the API accepts, at the edge", () => {
    expect(acls.map(([, r]) => r.Properties.Scope).sort()).toEqual([
      "CLOUDFRONT",
      "REGIONAL",
    ]);
    for (const [, acl] of edge()) {
      const common = acl.Properties.Rules.find(
        (r: any) => r.Name === "AWSManagedRulesCommonRuleSet",
      );
      expect(
        common.Statement.ManagedRuleGroupStatement.RuleActionOverrides,
      ).toEqual([
        { Name: COMMON_RULE_SET_BODY_SIZE_RULE, ActionToUse: { Count: {} } },
      ]);
      const size = acl.Properties.Rules.find(
        (r: any) => r.Name === "BodyLargerThanTheApiAccepts",
      );
      expect(size.Action.Block.CustomResponse.ResponseCode).toBe(413);
      const pattern = new RegExp(
        size.Statement.RegexMatchStatement.RegexString,
      );
      // A configuration with three 20,000-character prompts passes; a megabyte does not.
      for (const ok of ["0", "8193", "250000", "999999"])
        expect(pattern.test(ok), ok).toBe(false);
      for (const tooLarge of ["1000000", "0001000000", "10485760"])
        expect(pattern.test(tooLarge), tooLarge).toBe(true);
    }
  });

  it("limit each caller (bearer token) per 5 minutes at the edge", () => {
    for (const [, acl] of edge()) {
      const perCaller = acl.Properties.Rules.find(
        (r: any) => r.Name === "RateLimitPerCaller",
      );
      expect(perCaller.Statement.RateBasedStatement).toMatchObject({
        Limit: 1000,
        AggregateKeyType: "CUSTOM_KEYS",
        CustomKeys: [{ Header: { Name: "authorization" } }],
      });
      expect(perCaller.Action).toEqual({ Block: {} });
    }
  });

  it("make the regional API reachable only through CloudFront: the header CloudFront adds is the one the API's ACL requires", () => {
    const [, regional] = acls.find(
      ([, a]) => a.Properties.Scope === "REGIONAL",
    )!;
    // Nothing else: CloudFront's ACL has inspected whatever it forwards.
    expect(regional.Properties.Rules).toHaveLength(1);
    const [first] = regional.Properties.Rules;
    expect(first.Name).toBe("OnlyThroughCloudFront");
    expect(first.Priority).toBe(0);
    expect(first.Action).toEqual({ Block: {} });
    const match = first.Statement.NotStatement.Statement.ByteMatchStatement;
    expect(match.FieldToMatch).toEqual({
      SingleHeader: { Name: "x-origin-verify" },
    });
    expect(match.PositionalConstraint).toBe("EXACTLY");
    const [distribution] = Object.values(resources).filter(
      (r) => r.Type === "AWS::CloudFront::Distribution",
    );
    const apiOrigin = distribution.Properties.DistributionConfig.Origins.find(
      (o: any) => o.OriginCustomHeaders,
    );
    expect(apiOrigin.OriginCustomHeaders).toEqual([
      { HeaderName: "x-origin-verify", HeaderValue: match.SearchString },
    ]);
    // A dynamic reference to a generated secret: the value is in no template.
    expect(JSON.stringify(match.SearchString)).toMatch(
      /\{\{resolve:secretsmanager:.*OriginVerifyValue/,
    );
  });

  it("log every request to an encrypted aws-waf-logs- group, with the authorization header redacted", () => {
    const logging = Object.values({ ...resources, ...edgeResources }).filter(
      (r) => r.Type === "AWS::WAFv2::LoggingConfiguration",
    );
    expect(logging).toHaveLength(acls.length);
    for (const config of logging) {
      expect(config.Properties.RedactedFields).toEqual([
        { SingleHeader: { Name: "authorization" } },
      ]);
      const destination = JSON.stringify(
        config.Properties.LogDestinationConfigs,
      );
      expect(destination).toContain("log-group:aws-waf-logs-");
      expect(destination).not.toContain(":*");
    }
    const wafGroups = Object.values({ ...resources, ...edgeResources }).filter(
      (r) =>
        r.Type === "AWS::Logs::LogGroup" &&
        String(r.Properties.LogGroupName).startsWith("aws-waf-logs-"),
    );
    expect(wafGroups).toHaveLength(acls.length);
  });
});

describe("Smaller defaults", () => {
  it("sets a Postgres statement timeout on every function that connects, below the function's own timeout", () => {
    const connecting = Object.entries(resources).filter(
      ([, r]) =>
        r.Type === "AWS::Lambda::Function" &&
        r.Properties.Environment?.Variables?.DATABASE_IAM_AUTH === "true",
    );
    expect(connecting.length).toBeGreaterThan(25);
    for (const [id, fn] of connecting) {
      const ms = Number(
        fn.Properties.Environment.Variables.DATABASE_STATEMENT_TIMEOUT_MS,
      );
      expect(ms, id).toBeGreaterThan(0);
      expect(ms, id).toBeLessThan(
        Math.min(
          fn.Properties.Timeout * 1000,
          id.startsWith("ChatApi") ? 29_000 : Infinity,
        ),
      );
    }
  });

  it("encrypts every log group of every stack with a customer-managed key that only CloudWatch Logs of this account may use", () => {
    for (const all of [resources, edgeResources]) {
      const groups = Object.entries(all).filter(
        ([, r]) => r.Type === "AWS::Logs::LogGroup",
      );
      expect(groups.length).toBeGreaterThan(0);
      for (const [id, g] of groups)
        expect(JSON.stringify(g.Properties.KmsKeyId), id).toContain("LogsKey");
      const key = Object.entries(all).find(([id]) => id.startsWith("LogsKey"))!;
      const logsStatement = key[1].Properties.KeyPolicy.Statement.find(
        (s: any) => JSON.stringify(s.Principal).includes("logs."),
      );
      expect(JSON.stringify(logsStatement.Condition.ArnLike)).toContain(
        "kms:EncryptionContext:aws:logs:arn",
      );
    }
  });

  it("requires TLS on the Aurora server (rds.force_ssl)", () => {
    template.hasResourceProperties("AWS::RDS::DBClusterParameterGroup", {
      Parameters: { "rds.force_ssl": "1" },
    });
    const [cluster] = Object.values(resources).filter(
      (r) => r.Type === "AWS::RDS::DBCluster",
    );
    expect(
      JSON.stringify(cluster.Properties.DBClusterParameterGroupName),
    ).toContain("VectorStoreParameters");
  });

  it("lets the application's database user only insert into and read the audit log", () => {
    const [schema] = Object.values(resources).filter(
      (r) => r.Type === "Custom::SextantSchema",
    );
    const after: string[] = schema.Properties.AfterMigrations;
    const grantAll = after.findIndex((s) =>
      s.startsWith("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES"),
    );
    const revoke = after.indexOf(
      "REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM sextant_app",
    );
    expect(grantAll).toBeGreaterThanOrEqual(0);
    expect(revoke).toBeGreaterThan(grantAll);
  });

  it("closes the VPC's default security group", () => {
    template.resourceCountIs("Custom::VpcRestrictDefaultSG", 1);
  });

  it("versions every bucket", () => {
    const buckets = Object.entries(resources).filter(
      ([, r]) => r.Type === "AWS::S3::Bucket",
    );
    expect(buckets.length).toBe(4);
    for (const [id, b] of buckets)
      expect(b.Properties.VersioningConfiguration, id).toEqual({
        Status: "Enabled",
      });
  });

  it("lets EventBridge use the ingestion key for the upload rule's dead letters only (aws:SourceArn)", () => {
    const [rule] = Object.values(resources).filter(
      (r) => r.Type === "AWS::Events::Rule",
    );
    const [key] = Object.entries(resources).filter(([id]) =>
      id.startsWith("IngestionUploadsKey"),
    );
    const events = key[1].Properties.KeyPolicy.Statement.find((s: any) =>
      JSON.stringify(s.Principal).includes("events.amazonaws.com"),
    );
    const sourceArn = JSON.stringify(
      withModels.stack.resolve(events.Condition.StringEquals["aws:SourceArn"]),
    );
    expect(sourceArn).toContain(`:rule/${rule.Properties.Name}`);
  });
});
