import { MAX_REQUEST_BODY_BYTES } from "@sextant/core/store";
import { ArnFormat, RemovalPolicy, Stack } from "aws-cdk-lib";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { CfnLoggingConfiguration, CfnWebACL } from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";

const DEFAULT_RULE_GROUPS = [
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
];

/**
 * The common rule set's rule that blocks every body over 8 KB. Sextant's API accepts prompts and
 * questions of 20,000 characters (a configuration holds three prompts), so that rule would answer
 * a legitimate save with 403; it counts instead, and {@link bodyLargerThanTheApiAccepts} blocks
 * what the API itself would refuse.
 * https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
 */
export const COMMON_RULE_SET_BODY_SIZE_RULE = "SizeRestrictions_BODY";

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
  /** Retention of the web ACL's request log. @default three months */
  readonly logRetention?: RetentionDays;
  /**
   * Requests one caller (one bearer token: a user's access token lives 15 minutes) may make in
   * any 5 minutes; behind CloudFront, per-IP limits at the API see edge addresses. @default 1000
   */
  readonly requestsPerCallerPer5Minutes?: number;
  /** Rules evaluated before all others (the API's origin check). @default - none */
  readonly firstRules?: readonly ((
    priority: number,
  ) => CfnWebACL.RuleProperty)[];
  /**
   * The rate limits, the body limit and the managed rule groups. `false` leaves only
   * `firstRules`, for an ACL whose traffic another ACL has inspected already. @default true
   */
  readonly inspect?: boolean;
}

const visibility = (metricName: string) => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

const managedRule = (
  name: string,
  priority: number,
): CfnWebACL.RuleProperty => ({
  name,
  priority,
  statement: {
    managedRuleGroupStatement: {
      vendorName: "AWS",
      name,
      ...(name === "AWSManagedRulesCommonRuleSet"
        ? {
            ruleActionOverrides: [
              {
                name: COMMON_RULE_SET_BODY_SIZE_RULE,
                actionToUse: { count: {} },
              },
            ],
          }
        : {}),
    },
  },
  overrideAction: { none: {} },
  visibilityConfig: visibility(name),
});

/**
 * Blocks a request whose `Content-Length` is at least {@link MAX_REQUEST_BODY_BYTES} (one
 * million bytes, the API's own limit; written as "seven or more digits", leading zeros aside).
 * WAF reads at most the first 16 KB of a body at CloudFront and API Gateway, so the declared length
 * is what it can judge; API Gateway's own 10 MB limit stops a body that lies about it.
 * https://docs.aws.amazon.com/waf/latest/developerguide/web-request-body-inspection.html
 */
export function bodyLargerThanTheApiAccepts(
  priority: number,
): CfnWebACL.RuleProperty {
  const digits = String(MAX_REQUEST_BODY_BYTES).length;
  if (MAX_REQUEST_BODY_BYTES !== 10 ** (digits - 1))
    throw new Error(
      "MAX_REQUEST_BODY_BYTES must be a power of ten for the firewall's length pattern.",
    );
  return {
    name: "BodyLargerThanTheApiAccepts",
    priority,
    statement: {
      regexMatchStatement: {
        fieldToMatch: { singleHeader: { Name: "content-length" } },
        regexString: `^0*[1-9][0-9]{${digits - 1},}$`,
        textTransformations: [{ priority: 0, type: "NONE" }],
      },
    },
    action: { block: { customResponse: { responseCode: 413 } } },
    visibilityConfig: visibility("BodyLargerThanTheApiAccepts"),
  };
}

/**
 * A web ACL, by default the one in front of CloudFront (website and, under `/api`, the API): AWS's common,
 * known-bad-inputs and IP-reputation rule groups, a rate-based rule per client IP — CloudFront
 * sees the real client address, which the API's regional ACL behind it does not — and a body size
 * limit equal to the API's. Every request it blocks or counts is logged, encrypted with a
 * customer-managed key, with the `authorization` header redacted. CloudFront web ACLs live in
 * us-east-1, so this goes in a us-east-1 stack (see `EdgeStack`).
 */
export class EdgeFirewall extends Construct {
  readonly webAcl: CfnWebACL;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: EdgeFirewallProps = {}) {
    super(scope, id);
    this.webAcl = new CfnWebACL(this, "WebAcl", {
      scope: props.scope ?? "CLOUDFRONT",
      defaultAction: { allow: {} },
      visibilityConfig: visibility("sextant-edge"),
      rules: [
        ...(props.firstRules ?? []).map((rule, i) => rule(i)),
        ...(props.inspect === false
          ? []
          : this.ownRules(props, props.firstRules?.length ?? 0)),
      ],
    });

    // WAF's CloudWatch Logs destination must be named `aws-waf-logs-…`, in the web ACL's region,
    // and is given by its ARN without the `:*` that CloudFormation's log-group ARN carries; the
    // stack's log-group aspect encrypts it with the customer-managed logs key.
    // https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html
    const stack = Stack.of(this);
    const logGroupName = `aws-waf-logs-${stack.stackName}-${id}`.toLowerCase();
    this.logGroup = new LogGroup(this, "Logs", {
      logGroupName,
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const destination = stack.formatArn({
      service: "logs",
      resource: "log-group",
      resourceName: logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const logging = new CfnLoggingConfiguration(this, "Logging", {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [destination],
      // Bearer tokens never reach the log.
      redactedFields: [{ singleHeader: { Name: "authorization" } }],
    });
    logging.node.addDependency(this.logGroup);
  }

  /** Rate limits per IP and per caller, the body limit, then the managed rule groups. */
  private ownRules(
    props: EdgeFirewallProps,
    first: number,
  ): CfnWebACL.RuleProperty[] {
    return [
      {
        name: "RateLimitPerIp",
        priority: first,
        statement: {
          rateBasedStatement: {
            limit: props.requestsPer5Minutes ?? 2000,
            aggregateKeyType: "IP",
          },
        },
        action: { block: {} },
        visibilityConfig: visibility("RateLimitPerIp"),
      },
      {
        // Requests without an Authorization header are not counted here (the per-IP rule is).
        // https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-aggregation-options.html
        name: "RateLimitPerCaller",
        priority: first + 1,
        statement: {
          rateBasedStatement: {
            limit: props.requestsPerCallerPer5Minutes ?? 1000,
            aggregateKeyType: "CUSTOM_KEYS",
            customKeys: [
              {
                header: {
                  name: "authorization",
                  textTransformations: [{ priority: 0, type: "NONE" }],
                },
              },
            ],
          },
        },
        action: { block: {} },
        visibilityConfig: visibility("RateLimitPerCaller"),
      },
      bodyLargerThanTheApiAccepts(first + 2),
      ...(props.ruleGroups ?? DEFAULT_RULE_GROUPS).map((name, i) =>
        managedRule(name, first + 3 + i),
      ),
    ];
  }
}
