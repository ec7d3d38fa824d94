import { Stack, type StackProps } from "aws-cdk-lib";
import { Construct } from "constructs";
import {
  EdgeFirewall,
  type EdgeFirewallProps,
} from "../constructs/edge-firewall";

/** What must live in us-east-1 for CloudFront: the edge web ACL. */
export class EdgeStack extends Stack {
  readonly firewall: EdgeFirewall;

  constructor(
    scope: Construct,
    id: string,
    props: StackProps & { firewall?: EdgeFirewallProps },
  ) {
    super(scope, id, props);
    this.firewall = new EdgeFirewall(this, "Firewall", props.firewall);
  }
}
