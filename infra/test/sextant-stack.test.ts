import { OPERATIONS } from "@sextant/api-typescript-handlers/model";
import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { buildArtifacts, synthSextant } from "./fixtures";
import { ChatApi } from "../src/constructs/chat-api";
import { Identity } from "../src/constructs/identity";
import { Network } from "../src/constructs/network";
import { VectorStore } from "../src/constructs/vector-store";

const { stack, template } = synthSextant();

describe("Identity", () => {
  it("requires MFA (TOTP only), forbids self sign-up and enforces threat protection", () => {
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      MfaConfiguration: "ON",
      EnabledMfas: ["SOFTWARE_TOKEN_MFA"],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" },
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 14,
          RequireSymbols: true,
        }),
      },
      DeletionProtection: "ACTIVE",
    });
  });

  it("enforces the whole password policy: 14 characters, every character class, temporary passwords for 3 days", () => {
    const [pool] = Object.values(
      template.findResources("AWS::Cognito::UserPool"),
    );
    expect(pool.Properties.Policies).toEqual({
      PasswordPolicy: {
        MinimumLength: 14,
        RequireLowercase: true,
        RequireUppercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
        TemporaryPasswordValidityDays: 3,
      },
    });
  });

  it("adds the email claim to access tokens with a V2 pre-token-generation trigger", () => {
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      LambdaConfig: {
        PreTokenGenerationConfig: {
          LambdaVersion: "V2_0",
          LambdaArn: Match.anyValue(),
        },
      },
    });
  });

  it("has the Administrators group", () => {
    template.hasResourceProperties("AWS::Cognito::UserPoolGroup", {
      GroupName: "Administrators",
    });
  });

  it("gives the website a public client for authorization code + PKCE only", () => {
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      GenerateSecret: false,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthFlowsUserPoolClient: true,
      // No password flows; refresh tokens rotate (ALLOW_REFRESH_TOKEN_AUTH is the non-rotating flow).
      ExplicitAuthFlows: [],
      PreventUserExistenceErrors: "ENABLED",
    });
  });
});

describe("ChatApi", () => {
  const spec = stack.chatApi.api.extendedApiSpecification as {
    paths: Record<
      string,
      Record<string, { security?: Record<string, string[]>[] }>
    >;
    components: {
      securitySchemes: Record<
        string,
        { "x-amazon-apigateway-authtype"?: string }
      >;
    };
  };
  const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => method !== "options")
      .map(([method, op]) => ({ path, method, op })),
  );

  it("covers every operation of the model", () => {
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual(
      Object.values(OPERATIONS)
        .map((o) => `${o.method.toLowerCase()} ${o.path}`)
        .sort(),
    );
  });

  it("streams the operations the model marks @streaming through API Gateway response streaming, and only those", () => {
    const integrations = operations.map(({ path, op }) => ({
      path,
      integration: (op as Record<string, any>)[
        "x-amazon-apigateway-integration"
      ],
    }));
    const streamed = integrations.filter(
      (i) => i.integration?.responseTransferMode === "STREAM",
    );
    expect(streamed.map((i) => i.path)).toEqual(
      Object.values(OPERATIONS)
        .filter((o) => o.streaming)
        .map((o) => o.path),
    );
    expect(streamed).toHaveLength(1);
    expect(
      JSON.stringify(stack.resolve(streamed[0].integration.uri)),
    ).toContain("response-streaming-invocations");
  });

  it.each(operations)(
    "puts the Cognito authorizer on $method $path, accepting access tokens only",
    ({ op }) => {
      expect(op.security).toEqual([{ cognito: ["openid"] }]);
      expect(
        spec.components.securitySchemes.cognito["x-amazon-apigateway-authtype"],
      ).toBe("COGNITO_USER_POOLS");
    },
  );

  it("sends no CORS at all by default: the website reaches the API under its own origin", () => {
    expect(JSON.stringify(spec)).not.toContain("Access-Control-Allow-Origin");
    const withOrigins = template.findResources("AWS::Lambda::Function", {
      Properties: {
        Environment: { Variables: { ALLOWED_ORIGINS: Match.anyValue() } },
      },
    });
    expect(Object.keys(withOrigins)).toHaveLength(0);
  });

  it("allows CORS from configured origins only, never '*'", () => {
    const { stack: s, template: t } = synthSextant({
      allowedOrigins: ["https://tools.example.com"],
    });
    const fns = t.findResources("AWS::Lambda::Function", {
      Properties: {
        Environment: {
          Variables: { ALLOWED_ORIGINS: "https://tools.example.com" },
        },
      },
    });
    expect(Object.keys(fns)).toHaveLength(operations.length);
    // Preflight lets browsers send the headers the API reads.
    const allowed = /Access-Control-Allow-Headers":"'([^']*)'/.exec(
      JSON.stringify(s.chatApi.api.extendedApiSpecification),
    )?.[1];
    expect(allowed?.split(",")).toEqual(
      expect.arrayContaining(["Authorization", "If-Match", "Idempotency-Key"]),
    );
  });

  it("logs access, throttles and traces the stage, and guards it with a WAF web ACL", () => {
    template.hasResourceProperties("AWS::ApiGateway::Stage", {
      StageName: "api",
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
        }),
      ]),
    });
    const acls = template.findResources("AWS::WAFv2::WebACL", {
      Properties: { Scope: "REGIONAL" },
    });
    expect(Object.keys(acls)).toHaveLength(1);
    template.resourceCountIs("AWS::WAFv2::WebACLAssociation", 1);
  });

  it("logs execution at ERROR only, never request or response data", () => {
    const [stage] = Object.values(
      template.findResources("AWS::ApiGateway::Stage"),
    );
    expect(stage.Properties.MethodSettings).toEqual([
      expect.objectContaining({
        HttpMethod: "*",
        ResourcePath: "/*",
        LoggingLevel: "ERROR",
        DataTraceEnabled: false,
      }),
    ]);
  });

  it("used alone, without CloudFront's origin header: limits each IP to 10,000 and each caller to 1,000 requests per 5 minutes, blocks oversized bodies and runs the common rule set", () => {
    const alone = new Stack(new App(), "alone", {
      env: { account: "111111111111", region: "eu-west-1" },
    });
    const network = new Network(alone, "Network", {});
    new ChatApi(alone, "ChatApi", {
      userPool: new Identity(alone, "Identity").userPool,
      network: { vpc: network.vpc, subnets: network.applicationSubnets },
      vectorStore: new VectorStore(alone, "VectorStore", {
        vpc: network.vpc,
        subnets: network.databaseSubnets,
      }),
      handlersDist: buildArtifacts().handlersDist,
    });
    const [acl] = Object.values(
      Template.fromStack(alone).findResources("AWS::WAFv2::WebACL"),
    );
    expect(acl.Properties.Scope).toBe("REGIONAL");
    const rules = acl.Properties.Rules;
    expect(rules.map((r: { Name: string }) => r.Name)).toEqual([
      "RateLimitPerIp",
      "RateLimitPerCaller",
      "BodyLargerThanTheApiAccepts",
      "AWSManagedRulesCommonRuleSet",
    ]);
    expect(rules[0].Statement.RateBasedStatement).toEqual({
      AggregateKeyType: "IP",
      Limit: 10_000,
    });
    expect(rules[1].Statement.RateBasedStatement.Limit).toBe(1000);
  });

  it("validates requests against the model before any Lambda runs", () => {
    expect(
      (spec as Record<string, unknown>)[
        "x-amazon-apigateway-request-validator"
      ],
    ).toBe("all");
  });

  it("answers API Gateway's own rejections in the one error shape", () => {
    const responses = (spec as Record<string, unknown>)[
      "x-amazon-apigateway-gateway-responses"
    ] as Record<string, { responseTemplates: Record<string, string> }>;
    const byType = Object.fromEntries(
      Object.entries(responses).map(([type, r]) => [
        type,
        r.responseTemplates["application/json"],
      ]),
    );
    expect(byType.UNAUTHORIZED).toBe(
      '{"code":"Unauthenticated","message":$context.error.messageString}',
    );
    expect(byType.ACCESS_DENIED).toContain('"code":"NotAuthorized"');
    expect(byType.BAD_REQUEST_BODY).toContain('"code":"BadRequest"');
    expect(byType.DEFAULT_5XX).toContain('"code":"InternalFailure"');
  });

  it("runs handlers in the VPC as the IAM-authenticated application user, with no password", () => {
    const fns = template.findResources("AWS::Lambda::Function", {
      Properties: {
        Environment: { Variables: { POWERTOOLS_SERVICE_NAME: "sextant-api" } },
      },
    });
    for (const fn of Object.values(fns)) {
      expect(fn.Properties.VpcConfig.SubnetIds.length).toBeGreaterThan(0);
      expect(fn.Properties.Environment.Variables.DATABASE_IAM_AUTH).toBe(
        "true",
      );
      expect(
        JSON.stringify(fn.Properties.Environment.Variables.DATABASE_URL),
      ).toContain("postgres://sextant_app@");
      expect(JSON.stringify(fn.Properties.Environment.Variables)).not.toMatch(
        /PASSWORD|SECRET/i,
      );
    }
  });

  it("lets only the user-administration handlers call Cognito's admin APIs, each only its own; asking, searching, downloading and reading a shared conversation only read the caller's groups", () => {
    const cognitoActions = Object.entries(
      template.findResources("AWS::IAM::Policy"),
    )
      .map(
        ([id, p]) =>
          [
            id.replace(/Role.*$/, ""),
            (
              p.Properties.PolicyDocument.Statement as {
                Action: string | string[];
              }[]
            )
              .flatMap((st) => [st.Action].flat())
              .filter((a) => a.startsWith("cognito-idp:")),
          ] as const,
      )
      .filter(([, actions]) => actions.length > 0);
    expect(
      Object.fromEntries(
        cognitoActions.map(([id, actions]) => [id, actions.length]),
      ),
    ).toEqual({
      ChatApilistUsers: 2,
      ChatApiinviteUser: 2,
      ChatApiupdateUser: 7,
      ChatApipostMessage: 1,
      ChatApistreamMessage: 1,
      ChatApisearchDocuments: 1,
      ChatApidownloadDocument: 1,
      ChatApigetSharedConversation: 1,
    });
    for (const [id, actions] of cognitoActions)
      if (
        /postMessage|streamMessage|searchDocuments|downloadDocument|getSharedConversation/.test(
          id,
        )
      )
        expect(actions, id).toEqual(["cognito-idp:AdminListGroupsForUser"]);
    const invite = cognitoActions.find(([id]) => id === "ChatApiinviteUser")!;
    expect(invite[1]).toContain("cognito-idp:AdminCreateUser");
    for (const [id, actions] of cognitoActions)
      if (id !== "ChatApiinviteUser")
        expect(actions, id).not.toContain("cognito-idp:AdminCreateUser");
  });

  it("runs every handler on the newest Node.js runtime, without AWS-managed policies", () => {
    const functions = template.findResources("AWS::Lambda::Function", {
      Properties: {
        Environment: { Variables: { POWERTOOLS_SERVICE_NAME: "sextant-api" } },
      },
    });
    expect(Object.keys(functions)).toHaveLength(operations.length);
    const roles = template.findResources("AWS::IAM::Role");
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.Runtime).toBe("nodejs24.x");
      const role = roles[fn.Properties.Role["Fn::GetAtt"][0]];
      // Each handler's own role, found in the template, with no AWS-managed policy.
      expect(role?.Properties.AssumeRolePolicyDocument).toBeTruthy();
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe("Website", () => {
  it("is served by CloudFront with a WAF web ACL", () => {
    template.hasResourceProperties("AWS::CloudFront::Distribution", {
      DistributionConfig: Match.objectLike({ WebACLId: Match.anyValue() }),
    });
  });

  it("restricts countries when an allow list is configured", () => {
    const { template: restricted } = synthSextant({
      geoRestriction: { allow: ["DE", "FR"] },
    });
    restricted.hasResourceProperties("AWS::CloudFront::Distribution", {
      DistributionConfig: Match.objectLike({
        Restrictions: {
          GeoRestriction: {
            RestrictionType: "whitelist",
            Locations: ["DE", "FR"],
          },
        },
      }),
    });
  });

  it("rejects an empty country list, naming the prop", () => {
    expect(() => synthSextant({ geoRestriction: { deny: [] } })).toThrow(
      /geoRestriction/,
    );
  });
});
