import {
  FlowLogDestination,
  FlowLogTrafficType,
  GatewayVpcEndpointAwsService,
  InterfaceVpcEndpointAwsService,
  IpAddresses,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
  Vpc,
  type SubnetSelection,
} from "aws-cdk-lib/aws-ec2";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

/** The VPC's address range (a literal, so security-group rules that use it can be checked at synth). */
export const VPC_CIDR = "10.80.0.0/16";

/** Props for {@link Network}. */
export interface NetworkProps {
  /**
   * AWS services the Lambdas reach through interface endpoints (each costs about $7 a month per
   * AZ, so the list is short: see docs/cost.md).
   * @default - Cognito (user administration) and Bedrock runtime (models)
   */
  readonly interfaceEndpoints?: readonly InterfaceVpcEndpointAwsService[];
  /** AZs the interface endpoints are in (Lambdas in other AZs reach them across AZs). @default every AZ */
  readonly endpointAzs?: number;
  /** @default 2 */
  readonly maxAzs?: number;
  /** @default one month */
  readonly flowLogRetention?: RetentionDays;
  /**
   * One NAT gateway (and public subnets for it), for Lambdas that must reach the internet — a
   * model server outside AWS, say. About $33 a month plus data: off unless a feature needs it.
   * @default false
   */
  readonly natGateway?: boolean;
}

/**
 * The VPC: isolated subnets only by default (no internet gateway, no NAT) — `application` for the Lambdas,
 * which reach AWS services through VPC endpoints, and `database` for Aurora — with every flow
 * logged.
 */
export class Network extends Construct {
  readonly vpc: Vpc;
  readonly applicationSubnets: SubnetSelection = {
    subnetGroupName: "application",
  };
  readonly databaseSubnets: SubnetSelection = { subnetGroupName: "database" };
  private readonly endpointsSecurityGroup: SecurityGroup;
  private readonly endpointAzs?: number;

  constructor(scope: Construct, id: string, props: NetworkProps = {}) {
    super(scope, id);
    const flowLogs = new LogGroup(this, "FlowLogs", {
      retention: props.flowLogRetention ?? RetentionDays.ONE_MONTH,
    });
    this.vpc = new Vpc(this, "Vpc", {
      ipAddresses: IpAddresses.cidr(VPC_CIDR),
      maxAzs: props.maxAzs ?? 2,
      // The default security group, which nothing here uses, allows no traffic at all.
      restrictDefaultSecurityGroup: true,
      natGateways: props.natGateway ? 1 : 0,
      subnetConfiguration: [
        ...(props.natGateway
          ? [{ name: "public", subnetType: SubnetType.PUBLIC, cidrMask: 26 }]
          : []),
        {
          name: "application",
          subnetType: props.natGateway
            ? SubnetType.PRIVATE_WITH_EGRESS
            : SubnetType.PRIVATE_ISOLATED,
          cidrMask: 22,
        },
        {
          name: "database",
          subnetType: SubnetType.PRIVATE_ISOLATED,
          cidrMask: 24,
        },
      ],
      flowLogs: {
        all: {
          destination: FlowLogDestination.toCloudWatchLogs(flowLogs),
          trafficType: FlowLogTrafficType.ALL,
        },
      },
    });
    this.vpc.addGatewayEndpoint("S3", {
      service: GatewayVpcEndpointAwsService.S3,
      subnets: [this.applicationSubnets],
    });
    const services = props.interfaceEndpoints ?? [
      InterfaceVpcEndpointAwsService.COGNITO_IDP,
      InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME,
    ];
    // HTTPS from inside the VPC only, to the endpoints; nothing else in or out.
    const endpoints = (this.endpointsSecurityGroup = new SecurityGroup(
      this,
      "EndpointsSecurityGroup",
      {
        vpc: this.vpc,
        description: "VPC interface endpoints: HTTPS from the VPC",
        allowAllOutbound: false,
      },
    ));
    endpoints.addIngressRule(
      Peer.ipv4(VPC_CIDR),
      Port.tcp(443),
      "HTTPS from the VPC",
    );
    this.endpointAzs = props.endpointAzs;
    for (const service of services) this.addServiceEndpoint(service);
  }

  /** An interface endpoint in the application subnets, reachable over HTTPS from the VPC only (once per service). */
  addServiceEndpoint(service: InterfaceVpcEndpointAwsService): void {
    if (this.vpc.node.tryFindChild(service.shortName)) return;
    this.vpc.addInterfaceEndpoint(service.shortName, {
      service,
      subnets: {
        ...this.applicationSubnets,
        ...(this.endpointAzs
          ? {
              availabilityZones: this.vpc.availabilityZones.slice(
                0,
                this.endpointAzs,
              ),
            }
          : {}),
      },
      privateDnsEnabled: true,
      securityGroups: [this.endpointsSecurityGroup],
      open: false,
    });
  }
}
