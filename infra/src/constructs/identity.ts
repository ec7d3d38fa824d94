import { Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  LambdaVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClient,
  UserPoolDomain,
  UserPoolOperation,
} from "aws-cdk-lib/aws-cognito";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Code, Function, Runtime } from "aws-cdk-lib/aws-lambda";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

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
}

/**
 * Who may sign in: a Cognito user pool with MFA (TOTP) required, no self sign-up (administrators
 * create users), a strong password policy, threat protection enforced, and the
 * `Administrators` group. The website's client uses authorization code + PKCE only.
 */
export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;

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
    });
    new CfnUserPoolGroup(this, "AdministratorsGroup", {
      userPoolId: this.userPool.userPoolId,
      groupName: ADMINISTRATORS_GROUP,
      description:
        "Administer Sextant: inference configuration, documents, users",
    });
    this.addEmailToAccessTokens();
    this.domain = this.userPool.addDomain("Domain", {
      cognitoDomain: {
        domainPrefix: props.domainPrefix ?? `sextant-${Stack.of(this).account}`,
      },
    });
  }

  /**
   * Cognito access tokens carry `sub`, `username` and `cognito:groups` but not `email`; a V2
   * pre-token-generation trigger adds it, so `GET /me` can answer from the verified token alone.
   */
  private addEmailToAccessTokens(): void {
    const logGroup = new LogGroup(this, "PreTokenGenerationLogs", {
      retention: RetentionDays.THREE_MONTHS,
    });
    const role = new Role(this, "PreTokenGenerationRole", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
    });
    logGroup.grantWrite(role);
    const fn = new Function(this, "PreTokenGeneration", {
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      handler: "index.handler",
      role,
      logGroup,
      timeout: Duration.seconds(5),
      code: Code.fromInline(`exports.handler = async (event) => {
  const email = event.request.userAttributes.email;
  if (email) {
    event.response = { claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: { email } } } };
  }
  return event;
};`),
    });
    this.userPool.addTrigger(
      UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      fn,
      LambdaVersion.V2_0,
    );
  }

  /** An OIDC client for a website at `origin`: authorization code + PKCE, no secret, no password flows. */
  addWebsiteClient(id: string, origin: string): UserPoolClient {
    return this.userPool.addClient(id, {
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
