import { Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import {
  AccountRecovery,
  AdvancedSecurityMode,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  OAuthScope,
  UserPool,
  UserPoolClient,
  UserPoolDomain,
} from "aws-cdk-lib/aws-cognito";
import { Construct } from "constructs";

/** The Cognito group whose members administer Sextant (same name as in packages/core). */
export const ADMINISTRATORS_GROUP = "Administrators";

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
      featurePlan: FeaturePlan.PLUS,
      advancedSecurityMode: AdvancedSecurityMode.ENFORCED,
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    new CfnUserPoolGroup(this, "AdministratorsGroup", {
      userPoolId: this.userPool.userPoolId,
      groupName: ADMINISTRATORS_GROUP,
      description:
        "Administer Sextant: inference configuration, documents, users",
    });
    this.domain = this.userPool.addDomain("Domain", {
      cognitoDomain: {
        domainPrefix: props.domainPrefix ?? `sextant-${Stack.of(this).account}`,
      },
    });
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
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
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
