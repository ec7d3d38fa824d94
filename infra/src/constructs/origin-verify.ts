import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import type { CfnWebACL } from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";

/** The header CloudFront adds to every request it forwards to the API. */
export const ORIGIN_VERIFY_HEADER = "x-origin-verify";

/**
 * Makes the regional API reachable only through CloudFront, so the edge web ACL, its per-IP rate
 * limit and the country list cannot be bypassed by calling the stage's own URL: CloudFront adds a
 * header with a random value from Secrets Manager, and the API's web ACL blocks any request
 * without it. Both take the value through a CloudFormation dynamic reference, so it is in no
 * template. The value is not a credential (every request still needs a Cognito token).
 * https://aws.amazon.com/blogs/security/how-to-enhance-amazon-cloudfront-origin-security-with-aws-waf-and-aws-secrets-manager/
 */
export class OriginVerify extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, "Value", {
      description:
        "Sextant: the header value CloudFront adds for the API's web ACL",
      generateSecretString: {
        passwordLength: 48,
        excludePunctuation: true,
      },
    });
  }

  /** The header value, as a dynamic reference resolved by CloudFormation at deploy time. */
  get headerValue(): string {
    return this.secret.secretValue.unsafeUnwrap();
  }

  /** A web ACL rule that blocks every request without the header's value. */
  rule(priority: number): CfnWebACL.RuleProperty {
    return {
      name: "OnlyThroughCloudFront",
      priority,
      statement: {
        notStatement: {
          statement: {
            byteMatchStatement: {
              fieldToMatch: { singleHeader: { Name: ORIGIN_VERIFY_HEADER } },
              positionalConstraint: "EXACTLY",
              searchString: this.headerValue,
              textTransformations: [{ priority: 0, type: "NONE" }],
            },
          },
        },
      },
      action: { block: {} },
      visibilityConfig: {
        cloudWatchMetricsEnabled: true,
        metricName: "OnlyThroughCloudFront",
        sampledRequestsEnabled: true,
      },
    };
  }
}
