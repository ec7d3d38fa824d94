import * as path from "node:path";
import { DIRECTORY_GROUPS_ATTRIBUTE } from "@sextant/core";
import { Duration, RemovalPolicy, SecretValue, Stack } from "aws-cdk-lib";
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  LambdaVersion,
  Mfa,
  OAuthScope,
  ProviderAttribute,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
  UserPoolIdentityProviderOidc,
  UserPoolIdentityProviderSaml,
  UserPoolIdentityProviderSamlMetadata,
  UserPoolOperation,
  type IUserPoolIdentityProvider,
} from "aws-cdk-lib/aws-cognito";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Runtime } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { lambdaBundling } from "./lambda-bundling";
import type { Federation } from "../config/federation";

/** The Cognito group whose members administer Sextant (same name as in packages/core). */
export const ADMINISTRATORS_GROUP = "Administrators";

/** How long an access (and ID) token is valid: the longest a revoked session can still call API Gateway. */
export const ACCESS_TOKEN_VALIDITY = Duration.minutes(15);

/** Props for {@link Identity}. */
export interface IdentityProps {
  /**
   * Prefix of the hosted sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`); must be
   * globally unique.
   * @default `sextant-<account>`
   */
  readonly domainPrefix?: string;
  /**
   * What happens to the user pool when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /** Single sign-on through the organisation's SAML or OIDC providers (context `identityProviders`). */
  readonly federation?: Federation;
}

/** Where Cognito writes a federated user's directory groups at each sign-in (declared on every pool). */
const DIRECTORY_GROUPS = DIRECTORY_GROUPS_ATTRIBUTE.replace(/^custom:/, "");

/**
 * Who may sign in: a Cognito user pool with MFA (TOTP) required, no self sign-up (administrators
 * create users), a strong password policy, threat protection enforced, and the
 * `Administrators` group. The website's client uses authorization code + PKCE only. With
 * federation, the organisation's SAML and OIDC providers sign people in too; their groups come
 * from the directory, mapped at every sign-in and refresh by the pre-token-generation trigger.
 */
export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  /** The federated providers, in the order the context lists them. */
  readonly providers: readonly IUserPoolIdentityProvider[];
  private readonly federation?: Federation;

  constructor(scope: Construct, id: string, props: IdentityProps = {}) {
    super(scope, id);
    this.userPool = new UserPool(this, "UserPool", {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Threat protection (formerly advanced security) enforced, under the Plus feature plan.
      // https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-threat-protection.html
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      // Declared on every pool, federated or not: custom attributes cannot be deleted once
      // created (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AddCustomAttributes.html),
      // so the schema is the same whether or not federation is on, now or later.
      customAttributes: {
        [DIRECTORY_GROUPS]: new StringAttribute({
          mutable: true,
          maxLen: 2048,
        }),
      },
    });
    this.federation = props.federation;
    new CfnUserPoolGroup(this, "AdministratorsGroup", {
      userPoolId: this.userPool.userPoolId,
      groupName: ADMINISTRATORS_GROUP,
      description:
        "Administer Sextant: inference configuration, documents, users",
    });
    this.addPreTokenGeneration();
    this.providers = (props.federation?.identityProviders ?? []).map((p) =>
      this.addProvider(p),
    );
    this.domain = this.userPool.addDomain("Domain", {
      cognitoDomain: {
        domainPrefix: props.domainPrefix ?? `sextant-${Stack.of(this).account}`,
      },
    });
  }

  /**
   * The V2 pre-token-generation trigger (`src/lambda/pre-token-generation.ts`): the access token
   * gets `email` (Cognito leaves it out, and `GET /me` answers from the token alone), and a
   * federated user's groups are mapped from their directory's by `groupMapping`.
   */
  private addPreTokenGeneration(): void {
    const logGroup = new LogGroup(this, "PreTokenGenerationLogs", {
      retention: RetentionDays.THREE_MONTHS,
    });
    const role = new Role(this, "PreTokenGenerationRole", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
    });
    logGroup.grantWrite(role);
    const fn = new NodejsFunction(this, "PreTokenGeneration", {
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      entry: path.join(__dirname, "..", "lambda", "pre-token-generation.ts"),
      handler: "handler",
      role,
      logGroup,
      // Cognito waits 5 s for a trigger.
      timeout: Duration.seconds(5),
      memorySize: 256,
      environment: {
        GROUP_MAPPING: JSON.stringify(this.federation?.groupMapping ?? {}),
      },
      bundling: lambdaBundling(),
    });
    this.userPool.addTrigger(
      UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      fn,
      LambdaVersion.V2_0,
    );
  }

  /**
   * A SAML or OIDC provider of the user pool. Its groups attribute is mapped to
   * `custom:directory_groups`, which Cognito rewrites at each sign-in through the provider.
   * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-specifying-attribute-mapping.html
   */
  private addProvider(
    p: Federation["identityProviders"][number],
  ): IUserPoolIdentityProvider {
    const id = `Provider${p.name.replace(/[^A-Za-z0-9]/g, "")}`;
    const attributeMapping = {
      email: ProviderAttribute.other(
        p.emailClaim ??
          (p.type === "saml"
            ? "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
            : "email"),
      ),
      // `custom` keys are used as written: the attribute's full name, prefix included.
      custom: {
        [DIRECTORY_GROUPS_ATTRIBUTE]: ProviderAttribute.other(p.groupsClaim),
      },
    };
    if (p.type === "saml")
      return new UserPoolIdentityProviderSaml(this, id, {
        userPool: this.userPool,
        name: p.name,
        metadata: p.metadataUrl
          ? UserPoolIdentityProviderSamlMetadata.url(p.metadataUrl)
          : UserPoolIdentityProviderSamlMetadata.file(p.metadata!),
        attributeMapping,
      });
    return new UserPoolIdentityProviderOidc(this, id, {
      userPool: this.userPool,
      name: p.name,
      issuerUrl: p.issuer,
      clientId: p.clientId,
      // A dynamic reference: CloudFormation reads the secret at deploy time, and the template
      // holds only its ARN.
      clientSecret: SecretValue.secretsManager(
        p.clientSecretArn,
      ).unsafeUnwrap(),
      scopes: ["openid", "email", "profile"],
      attributeMapping,
    });
  }

  /** An OIDC client for a website at `origin`: authorization code + PKCE, no secret, no password flows. */
  addWebsiteClient(id: string, origin: string): UserPoolClient {
    const client = this.userPool.addClient(id, {
      generateSecret: false,
      authFlows: {
        user: false,
        userSrp: false,
        custom: false,
        adminUserPassword: false,
      },
      oAuth: {
        flows: {
          authorizationCodeGrant: true,
          implicitCodeGrant: false,
          clientCredentials: false,
        },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${origin}/`],
        logoutUrls: [`${origin}/`],
      },
      // Local sign-in, then each federated provider; the managed login lists them all.
      supportedIdentityProviders: [
        UserPoolClientIdentityProvider.COGNITO,
        ...(this.federation?.identityProviders ?? []).map((p) =>
          UserPoolClientIdentityProvider.custom(p.name),
        ),
      ],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      // API Gateway's Cognito authorizer checks only signature and expiry, so an access token
      // outlives a sign-out until it expires: keep that short. The API also refuses a disabled or
      // demoted user at the next request (docs/security.md).
      accessTokenValidity: ACCESS_TOKEN_VALIDITY,
      idTokenValidity: ACCESS_TOKEN_VALIDITY,
      refreshTokenValidity: Duration.days(1),
      // Each refresh returns a new refresh token and retires the old one after 10 s (retries).
      // https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html
      refreshTokenRotationGracePeriod: Duration.seconds(10),
    });
    // The client names the providers, which must exist first.
    for (const provider of this.providers) client.node.addDependency(provider);
    return client;
  }

  /** The OIDC issuer URL of the user pool. */
  get issuerUrl(): string {
    return `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }

  /** Cognito's hosted-UI sign-out endpoint (Cognito has no OIDC `end_session_endpoint`). */
  get signOutUrl(): string {
    return `${this.domain.baseUrl()}/logout`;
  }
}
