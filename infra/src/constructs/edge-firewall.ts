import { CfnWebACL } from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";

const DEFAULT_RULE_GROUPS = [
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
];

/** Props for {@link EdgeFirewall}. */
export interface EdgeFirewallProps {
  /** Requests one client IP may make in any 5 minutes before it is blocked. @default 2000 */
  readonly requestsPer5Minutes?: number;
  /**
   * `CLOUDFRONT` (in us-east-1, in front of the distribution) or `REGIONAL` (API Gateway).
   * @default "CLOUDFRONT"
   */
  readonly scope?: "CLOUDFRONT" | "REGIONAL";
  /** AWS managed rule groups, in order (each costs $1 a month). @default IP reputation, common, known bad inputs */
  readonly ruleGroups?: readonly string[];
}

const managedRule = (
  name: string,
  priority: number,
): CfnWebACL.RuleProperty => ({
  name,
  priority,
  statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
  overrideAction: { none: {} },
  visibilityConfig: {
    cloudWatchMetricsEnabled: true,
    metricName: name,
    sampledRequestsEnabled: true,
  },
});

/**
 * A web ACL, by default the one in front of CloudFront (website and, under `/api`, the API): AWS's common,
 * known-bad-inputs and IP-reputation rule groups, and a rate-based rule per client IP — CloudFront
 * sees the real client address, which the API's regional ACL behind it does not. CloudFront web
 * ACLs live in us-east-1, so this goes in a us-east-1 stack (see `EdgeStack`).
 */
export class EdgeFirewall extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeFirewallProps = {}) {
    super(scope, id);
    this.webAcl = new CfnWebACL(this, "WebAcl", {
      scope: props.scope ?? "CLOUDFRONT",
      defaultAction: { allow: {} },
      visibilityConfig: {
        cloudWatchMetricsEnabled: true,
        metricName: "sextant-edge",
        sampledRequestsEnabled: true,
      },
      rules: [
        {
          name: "RateLimitPerIp",
          priority: 0,
          statement: {
            rateBasedStatement: {
              limit: props.requestsPer5Minutes ?? 2000,
              aggregateKeyType: "IP",
            },
          },
          action: { block: {} },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: "RateLimitPerIp",
            sampledRequestsEnabled: true,
          },
        },
        ...(props.ruleGroups ?? DEFAULT_RULE_GROUPS).map((name, i) =>
          managedRule(name, i + 1),
        ),
      ],
    });
  }
}
