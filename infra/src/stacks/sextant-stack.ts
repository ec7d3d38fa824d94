import { CfnOutput, Stack, Token, type StackProps } from "aws-cdk-lib";
import type { UserPoolClient } from "aws-cdk-lib/aws-cognito";
import { InterfaceVpcEndpointAwsService } from "aws-cdk-lib/aws-ec2";
import { Construct } from "constructs";
import { EdgeStack } from "./edge-stack";
import type { Federation } from "../config/federation";
import { STAGES, type StageConfig, type StageName } from "../config/stages";
import { API_STAGE, ChatApi } from "../constructs/chat-api";
import { DevTools } from "../constructs/dev-tools";
import { EdgeFirewall } from "../constructs/edge-firewall";
import { Identity } from "../constructs/identity";
import { type BulkIngestion, Ingestion } from "../constructs/ingestion";
import { LogGroupsEverywhere } from "../constructs/log-groups-everywhere";
import { ModelAccess, type ModelAccessProps } from "../constructs/model-access";
import { Network } from "../constructs/network";
import { NewestNodeRuntime } from "../constructs/newest-node-runtime";
import {
  ORIGIN_VERIFY_HEADER,
  OriginVerify,
} from "../constructs/origin-verify";
import { StarterGuardrail } from "../constructs/starter-guardrail";
import {
  type BudgetAlarm,
  UsageDashboard,
} from "../constructs/usage-dashboard";
import { VectorStore } from "../constructs/vector-store";
import { type GeoRestriction, Website } from "../constructs/website";
import { applyNagSuppressions } from "../nag-suppressions";

/** Props for {@link SextantStack}. */
export interface SextantStackProps extends StackProps {
  /** The built website to deploy. */
  readonly websiteContentPath: string;
  /** Directory of the API's Lambda bundles. @default the handlers package's `dist/lambda` */
  readonly handlersDist?: string;
  /** Country allow or deny list at CloudFront. @default - none */
  readonly geoRestriction?: GeoRestriction;
  /** What differs between dev, staging and prod. @default the dev stage */
  readonly stage?: StageConfig;
  /** Serve the website under this domain with this ACM certificate (us-east-1). @default - CloudFront's domain */
  readonly domain?: {
    readonly domainName: string;
    readonly certificateArn: string;
  };
  /** Origins besides the website's allowed to call the API from a browser. @default - none */
  readonly allowedOrigins?: readonly string[];
  /** A SageMaker Studio domain for experiments (VPC-only, least-privilege role). @default false */
  readonly devTools?: boolean;
  /** A NAT gateway so the Lambdas can reach model servers outside AWS. @default false */
  readonly natGateway?: boolean;
  /** How bulk ingestion spreads (overrides the stage's). @default the stage's */
  readonly ingestion?: BulkIngestion;
  /** Buckets of the account whose prefixes may be registered as document sources. @default - none */
  readonly sourceBuckets?: readonly string[];
  /** The models the deployment may call (IAM grants and VPC endpoints follow). @default - none */
  readonly models?: ModelAccessProps;
  /**
   * Provisioned concurrency of the streaming chat handler, by stage (`{ "prod": 2 }`); a stage
   * not named has none. Off by default: it bills by the hour (docs/cost.md). @default - none
   */
  readonly streamingProvisionedConcurrency?: Partial<Record<StageName, number>>;
  /** Single sign-on through SAML and OIDC providers, groups mapped from the directory. @default - local users only */
  readonly federation?: Federation;
  /** An AWS Budgets alarm on the account's monthly cost, e-mailed. @default - none */
  readonly budgetAlarm?: BudgetAlarm;
}

/** Sextant in one stack: identity, API and website, wired together. */
export class SextantStack extends Stack {
  readonly identity: Identity;
  readonly chatApi: ChatApi;
  readonly website: Website;
  readonly network: Network;
  readonly vectorStore: VectorStore;
  readonly devTools?: DevTools;
  readonly ingestion: Ingestion;
  /** The website's app client (authorization code + PKCE). */
  readonly websiteClient: UserPoolClient;
  /** The us-east-1 stack with CloudFront's web ACL, when this stack is in another region. */
  readonly edge?: EdgeStack;

  constructor(scope: Construct, id: string, props: SextantStackProps) {
    const stage = props.stage ?? STAGES.dev;
    const region = props.env?.region;
    // CloudFront's web ACL must be in us-east-1: a sibling stack there, unless this one is.
    const edgeElsewhere =
      region !== undefined &&
      !Token.isUnresolved(region) &&
      region !== "us-east-1";
    super(scope, id, {
      terminationProtection: stage.terminationProtection,
      crossRegionReferences: edgeElsewhere,
      ...props,
    });
    if (edgeElsewhere) {
      this.edge = new EdgeStack(scope, `${id}-edge`, {
        env: { account: props.env?.account, region: "us-east-1" },
        crossRegionReferences: true,
        terminationProtection: stage.terminationProtection,
      });
      this.addStackDependency(this.edge, "the edge web ACL is in us-east-1");
      LogGroupsEverywhere.applyTo(this.edge, stage.logRetention);
    }
    const firewall =
      this.edge?.firewall ?? new EdgeFirewall(this, "EdgeFirewall");
    this.identity = new Identity(this, "Identity", {
      federation: props.federation,
    });
    const starter = props.models?.starterGuardrail
      ? new StarterGuardrail(this, "StarterGuardrail")
      : undefined;
    const models = new ModelAccess({
      ...props.models,
      ...(starter
        ? {
            bedrockGuardrails: [
              ...(props.models?.bedrockGuardrails ?? []),
              starter.guardrailArn,
            ],
          }
        : {}),
    });
    this.network = new Network(this, "Network", {
      flowLogRetention: stage.logRetention,
      interfaceEndpoints: [
        ...stage.endpoints.services.map(
          (name) => new InterfaceVpcEndpointAwsService(name),
        ),
        ...models.interfaceEndpoints,
      ],
      endpointAzs: stage.endpoints.azs,
      natGateway: props.natGateway,
    });
    this.vectorStore = new VectorStore(this, "VectorStore", {
      vpc: this.network.vpc,
      subnets: this.network.databaseSubnets,
      ...stage.database,
      logRetention: stage.logRetention,
    });
    if (props.devTools) {
      this.devTools = new DevTools(this, "DevTools", {
        network: this.network,
        vectorStore: this.vectorStore,
      });
    }
    const originVerify = new OriginVerify(this, "OriginVerify");
    this.chatApi = new ChatApi(this, "ChatApi", {
      originVerify,
      userPool: this.identity.userPool,
      allowedOrigins: props.allowedOrigins,
      handlersDist: props.handlersDist,
      network: {
        vpc: this.network.vpc,
        subnets: this.network.applicationSubnets,
      },
      vectorStore: this.vectorStore,
      models,
      logRetention: stage.logRetention,
      streamingProvisionedConcurrency:
        props.streamingProvisionedConcurrency?.[stage.name],
      groupMapping: props.federation?.groupMapping,
    });
    this.website = new Website(this, "Website", {
      contentPath: props.websiteContentPath,
      geoRestriction: props.geoRestriction,
      domain: props.domain,
      apiDomainName: this.chatApi.domainName,
      apiOriginHeaders: { [ORIGIN_VERIFY_HEADER]: originVerify.headerValue },
      webAclArn: firewall.webAcl.attrArn,
      connectOrigins: () => [
        `https://cognito-idp.${this.region}.amazonaws.com`,
        this.identity.domain.baseUrl(),
        // Uploads go straight from the browser to the bucket, through presigned URLs.
        this.ingestion.uploadOrigin,
      ],
      runtimeConfig: () => ({
        apiUrl: `${this.website.origin}/${API_STAGE}`,
        clientId: this.websiteClient.userPoolClientId,
        issuerUrl: this.identity.issuerUrl,
        signOutUrl: this.identity.signOutUrl,
        ...(props.federation?.signInWith
          ? { signInWith: props.federation.signInWith }
          : {}),
      }),
    });
    // Read lazily by the website's CSP and runtime configuration, which come first: each
    // names the other's resources.
    this.websiteClient = this.identity.addWebsiteClient(
      "WebsiteClient",
      this.website.origin,
    );
    const ingestion = (this.ingestion = new Ingestion(this, "Ingestion", {
      network: {
        vpc: this.network.vpc,
        subnets: this.network.applicationSubnets,
      },
      vectorStore: this.vectorStore,
      accessLogsBucket: this.website.accessLogsBucket,
      // The browser PUTs to the bucket from the website's origin. Without a custom domain that
      // origin is the distribution's, whose CSP names this bucket: naming each other would be a
      // dependency cycle, so CORS allows CloudFront's domains instead. The presigned URL remains
      // the only authorization, and the CSP still lets the website reach this bucket alone.
      uploadOrigins: [
        props.domain ? this.website.origin : "https://*.cloudfront.net",
        ...(props.allowedOrigins ?? []),
      ],
      logRetention: stage.logRetention,
      models,
      ...stage.ingestion,
      ...props.ingestion,
      sourceBuckets: props.sourceBuckets,
    }));
    // The operations that declare the upload bucket in the model get it, and only its grant.
    for (const fn of this.chatApi.functionsUsing("upload-bucket.put")) {
      fn.addEnvironment("UPLOAD_BUCKET", ingestion.bucket.bucketName);
      ingestion.grantUpload(fn);
    }
    for (const fn of this.chatApi.functionsUsing("upload-bucket.delete")) {
      fn.addEnvironment("UPLOAD_BUCKET", ingestion.bucket.bucketName);
      ingestion.grantRemove(fn);
    }
    for (const fn of this.chatApi.functionsUsing("source-buckets"))
      fn.addEnvironment(
        "SOURCE_BUCKETS",
        (props.sourceBuckets ?? []).join(","),
      );
    for (const fn of this.chatApi.functionsUsing("upload-bucket.get")) {
      fn.addEnvironment("UPLOAD_BUCKET", ingestion.bucket.bucketName);
      ingestion.grantDownload(fn);
    }
    const apiUrl = `${this.website.origin}/${API_STAGE}`;
    new CfnOutput(this, "WebsiteUrl", { value: this.website.origin });
    new CfnOutput(this, "ApiUrl", { value: apiUrl });
    new CfnOutput(this, "DashboardName", {
      value: ingestion.dashboard.dashboardName,
    });
    const usage = new UsageDashboard(this, "UsageDashboard", {
      budgetAlarm: props.budgetAlarm,
    });
    new CfnOutput(this, "UsageDashboardName", {
      value: usage.dashboard.dashboardName,
    });
    new CfnOutput(this, "SignInDomain", {
      value: this.identity.domain.baseUrl(),
      description:
        "The user pool's domain: a SAML provider's ACS URL is <this>/saml2/idpresponse, an OIDC provider's redirect URI <this>/oauth2/idpresponse",
    });
    new CfnOutput(this, "UserPoolId", {
      value: this.identity.userPool.userPoolId,
    });
    LogGroupsEverywhere.applyTo(this, stage.logRetention);
    NewestNodeRuntime.applyTo(this);
    applyNagSuppressions(this, {
      geoRestricted: props.geoRestriction !== undefined,
      devTools: props.devTools === true,
    });
  }
}
