import { runSimulation } from "@cloud-copilot/iam-simulate";
import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { synthSextant } from "./fixtures";
import {
  ACCOUNT,
  templateResolver,
  type Resource,
} from "./iam/resolve-template";
import { readContext } from "../src/config/context";
import {
  preTokenGeneration,
  type PreTokenGenerationEvent,
} from "../src/lambda/pre-token-generation";

const SECRET_ARN =
  "arn:aws:secretsmanager:eu-west-1:111111111111:secret:sextant/okta-client-AbCdEf";
const CONTEXT = {
  identityProviders: JSON.stringify([
    {
      type: "saml",
      name: "Entra",
      metadataUrl:
        "https://login.microsoftonline.com/contoso/federationmetadata/2007-06/federationmetadata.xml?appid=1",
      groupsClaim:
        "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
    },
    {
      type: "oidc",
      name: "Okta",
      issuer: "https://contoso.okta.com",
      clientId: "0oa1b2c3d4",
      clientSecretArn: SECRET_ARN,
      groupsClaim: "groups",
    },
  ]),
  groupMapping: JSON.stringify({
    "contoso-hr": "HR",
    "contoso-it-admins": "Administrators",
  }),
};
const read = (values: Record<string, string>) =>
  readContext((key) => values[key]);

describe("single sign-on context keys (identityProviders, groupMapping, signInWith)", () => {
  it("reads the providers and the mapping", () => {
    const { federation } = read({ ...CONTEXT, signInWith: "Okta" });
    expect(federation?.identityProviders.map((p) => p.name)).toEqual([
      "Entra",
      "Okta",
    ]);
    expect(federation?.groupMapping).toEqual({
      "contoso-hr": "HR",
      "contoso-it-admins": "Administrators",
    });
    expect(federation?.signInWith).toBe("Okta");
  });

  const provider = (entry: object) => ({
    identityProviders: JSON.stringify([entry]),
  });
  const oidc = {
    type: "oidc",
    name: "Okta",
    issuer: "https://contoso.okta.com",
    clientId: "x",
    clientSecretArn: SECRET_ARN,
    groupsClaim: "groups",
  };
  it.each([
    [{ identityProviders: "[{" }, "Context 'identityProviders' is not JSON"],
    [{ identityProviders: "[]" }, "must be a non-empty JSON list"],
    [
      provider({ ...oidc, type: "ldap" }),
      "'identityProviders'[0].type is 'ldap'",
    ],
    [
      provider({ ...oidc, name: "My_IdP" }),
      "'identityProviders'[0].name is 'My_IdP'",
    ],
    [
      provider({ ...oidc, name: "COGNITO" }),
      "'identityProviders'[0].name 'COGNITO' is reserved",
    ],
    [
      provider({ ...oidc, issuer: "http://contoso.okta.com" }),
      "'identityProviders'[0].issuer",
    ],
    [
      provider({ ...oidc, clientSecretArn: undefined }),
      "'identityProviders'[0].clientSecretArn is missing",
    ],
    [
      provider({ ...oidc, clientSecret: "hunter2" }),
      "'identityProviders'[0].clientSecret is not a field",
    ],
    [
      provider({ ...oidc, groupsClaim: undefined }),
      "'identityProviders'[0].groupsClaim is missing",
    ],
    [
      provider({ type: "saml", name: "Entra", groupsClaim: "groups" }),
      "'identityProviders'[0].metadataUrl: give the provider's SAML metadata as metadataUrl (https) or metadataFile",
    ],
    [
      provider({
        type: "saml",
        name: "Google",
        groupsClaim: "groups",
        metadataFile: "/nonexistent.xml",
      }),
      "'identityProviders'[0].name 'Google' is reserved",
    ],
    [
      provider({
        type: "saml",
        name: "Workspace",
        groupsClaim: "groups",
        metadataFile: "/etc/hostname",
      }),
      "'identityProviders'[0].metadataFile: '/etc/hostname' is not SAML metadata",
    ],
    [
      { identityProviders: JSON.stringify([oidc, oidc]) },
      "'identityProviders'[1].name: 'Okta' names another provider",
    ],
    [
      { ...provider(oidc), groupMapping: '{"hr": "Human Resources"}' },
      "Context 'groupMapping': \"hr\" must map to a Sextant group",
    ],
    [
      { ...provider(oidc), groupMapping: '["HR"]' },
      "Context 'groupMapping': must be an object",
    ],
    [{ groupMapping: '{"hr": "HR"}' }, "need 'identityProviders'"],
    [
      { ...provider(oidc), signInWith: "Entra" },
      "Context 'signInWith' is 'Entra'",
    ],
  ])("rejects %j, naming the key and the field", (values, message) => {
    expect(() => read(values as Record<string, string>)).toThrow(message);
  });
});

describe("a deployment with -c identityProviders=[…] -c groupMapping={…} (synthesized under AwsPrototyping)", () => {
  const { stack, template } = synthSextant({
    federation: read(CONTEXT).federation,
  });

  it("lets the chat handlers read a user's attributes and groups (policy simulator), and change nothing", async () => {
    const resources = template.toJSON().Resources as Record<string, Resource>;
    const resolve = templateResolver(resources, {
      region: "eu-west-1",
      stackName: stack.stackName,
    });
    const poolId = Object.keys(resources).find(
      (id) => resources[id].Type === "AWS::Cognito::UserPool",
    )!;
    const pool = resolve({ "Fn::GetAtt": [poolId, "Arn"] });
    const fnId = Object.keys(resources).find(
      (id) =>
        id.startsWith("ChatApistreamMessageHandler") &&
        resources[id].Type === "AWS::Lambda::Function",
    )!;
    const roleId = resources[fnId].Properties!.Role["Fn::GetAtt"][0];
    const policies = Object.entries(resources)
      .filter(
        ([, r]) =>
          r.Type === "AWS::IAM::Policy" &&
          (r.Properties!.Roles as any[]).some((x) => x?.Ref === roleId),
      )
      .map(([name, r]) => ({
        name,
        policy: resolve(r.Properties!.PolicyDocument),
      }));
    const decide = async (action: string) => {
      const response = await runSimulation(
        {
          identityPolicies: policies,
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          request: {
            action,
            principal: `arn:aws:iam::${ACCOUNT}:role/${roleId.toLowerCase()}`,
            resource: { accountId: ACCOUNT, resource: pool },
            contextVariables: {},
          },
        } as any,
        {},
      );
      if (response.resultType === "error")
        throw new Error(JSON.stringify(response.errors));
      return response.overallResult;
    };
    expect(await decide("cognito-idp:AdminGetUser")).toBe("Allowed");
    expect(await decide("cognito-idp:AdminListGroupsForUser")).toBe("Allowed");
    for (const action of [
      "cognito-idp:AdminAddUserToGroup",
      "cognito-idp:AdminUpdateUserAttributes",
      "cognito-idp:AdminCreateUser",
      "cognito-idp:UpdateIdentityProvider",
    ])
      expect(await decide(action), action).not.toBe("Allowed");
  });

  it("declares the SAML and OIDC providers, their groups mapped into custom:directory_groups", () => {
    template.hasResourceProperties("AWS::Cognito::UserPoolIdentityProvider", {
      ProviderName: "Entra",
      ProviderType: "SAML",
      ProviderDetails: Match.objectLike({
        MetadataURL: Match.stringLikeRegexp(
          "^https://login.microsoftonline.com/",
        ),
      }),
      AttributeMapping: {
        email:
          "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "custom:directory_groups":
          "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
      },
    });
    template.hasResourceProperties("AWS::Cognito::UserPoolIdentityProvider", {
      ProviderName: "Okta",
      ProviderType: "OIDC",
      ProviderDetails: Match.objectLike({
        oidc_issuer: "https://contoso.okta.com",
        client_id: "0oa1b2c3d4",
        authorize_scopes: "openid email profile",
      }),
      AttributeMapping: { email: "email", "custom:directory_groups": "groups" },
    });
  });

  it("keeps the OIDC client secret out of the template: a Secrets Manager dynamic reference only", () => {
    const [okta] = Object.values(
      template.findResources("AWS::Cognito::UserPoolIdentityProvider", {
        Properties: { ProviderName: "Okta" },
      }),
    );
    expect(
      JSON.stringify(okta.Properties.ProviderDetails.client_secret),
    ).toContain(`{{resolve:secretsmanager:${SECRET_ARN}:SecretString:::}}`);
  });

  it("lists local sign-in and both providers on the website's client, which cannot write user attributes itself", () => {
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      SupportedIdentityProviders: ["COGNITO", "Entra", "Okta"],
      AllowedOAuthScopes: ["openid", "email", "profile"],
    });
  });

  it("still forbids self sign-up and still requires MFA of local users", () => {
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: "ON",
      EnabledMfas: ["SOFTWARE_TOKEN_MFA"],
      Schema: Match.arrayWith([
        Match.objectLike({
          Name: "directory_groups",
          AttributeDataType: "String",
          Mutable: true,
          StringAttributeConstraints: { MaxLength: "2048" },
        }),
      ]),
    });
  });

  it("gives the mapping to the pre-token trigger and to the handlers that read the user directory", () => {
    const mapping = CONTEXT.groupMapping;
    const withMapping = Object.entries(
      template.findResources("AWS::Lambda::Function"),
    )
      .filter(
        ([, r]) =>
          r.Properties.Environment?.Variables?.GROUP_MAPPING === mapping,
      )
      .map(([id]) => id.replace(/[0-9A-F]{8}$/, ""));
    expect(withMapping).toEqual(
      expect.arrayContaining([
        "IdentityPreTokenGeneration",
        "ChatApilistUsersHandler",
        "ChatApipostMessageHandler",
        "ChatApistreamMessageHandler",
      ]),
    );
  });
});

describe("the pre-token-generation trigger (V2 events in the shape Cognito documents)", () => {
  const MAPPING = {
    "example-analysts": "Analysts",
    "example-admins": "Administrators",
  };
  const event = (
    userAttributes: Record<string, string>,
    groups: string[] = [],
    triggerSource = "TokenGeneration_HostedAuth",
  ): PreTokenGenerationEvent => ({
    triggerSource,
    userName: "ExampleCorp_carol",
    request: {
      userAttributes,
      groupConfiguration: { groupsToOverride: groups },
    },
    response: { claimsAndScopeOverrideDetails: null },
  });
  const identities = (type: string) =>
    JSON.stringify([
      {
        userId: "carol",
        providerName: "ExampleCorp",
        providerType: type,
        primary: "true",
      },
    ]);

  it("maps a federated user's directory groups at sign-in and at every refresh, dropping Cognito groups and unmapped ones", () => {
    for (const source of [
      "TokenGeneration_HostedAuth",
      "TokenGeneration_RefreshTokens",
    ]) {
      const out = preTokenGeneration(
        event(
          {
            email: "carol@example.com",
            identities: identities("OIDC"),
            "custom:directory_groups":
              '["example-analysts","example-marketing"]',
          },
          ["Administrators"],
          source,
        ),
        MAPPING,
      );
      expect(out.response.claimsAndScopeOverrideDetails).toEqual({
        accessTokenGeneration: {
          claimsToAddOrOverride: { email: "carol@example.com" },
        },
        groupOverrideDetails: { groupsToOverride: ["Analysts"] },
      });
    }
  });

  it("reads SAML's [a, b] form, and gives Administrators only through the mapping", () => {
    const groups = (value: string) =>
      preTokenGeneration(
        event({
          identities: identities("SAML"),
          "custom:directory_groups": value,
        }),
        MAPPING,
      ).response.claimsAndScopeOverrideDetails?.groupOverrideDetails
        ?.groupsToOverride;
    expect(groups("[example-admins, example-analysts]")).toEqual([
      "Administrators",
      "Analysts",
    ]);
    expect(groups("[Administrators, EXAMPLE-ADMINS, example-admins ]")).toEqual(
      [],
    );
    expect(groups("")).toEqual([]);
  });

  it("leaves a local user's groups alone, whatever attribute they hold", () => {
    const out = preTokenGeneration(
      event(
        {
          email: "ada@example.com",
          "custom:directory_groups": "example-admins",
        },
        ["Analysts"],
      ),
      MAPPING,
    );
    expect(out.response.claimsAndScopeOverrideDetails).toEqual({
      accessTokenGeneration: {
        claimsToAddOrOverride: { email: "ada@example.com" },
      },
    });
  });
});
