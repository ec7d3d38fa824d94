import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import { Construct } from "constructs";
import { STAGES, type StageConfig } from "../config/stages";
import { ChatApi } from "../constructs/chat-api";
import { Identity } from "../constructs/identity";
import { Network } from "../constructs/network";
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
}

/** Sextant in one stack: identity, API and website, wired together. */
export class SextantStack extends Stack {
  readonly identity: Identity;
  readonly chatApi: ChatApi;
  readonly website: Website;
  readonly network: Network;
  readonly vectorStore: VectorStore;

  constructor(scope: Construct, id: string, props: SextantStackProps) {
    const stage = props.stage ?? STAGES.dev;
    super(scope, id, {
      terminationProtection: stage.terminationProtection,
      ...props,
    });
    this.identity = new Identity(this, "Identity");
    this.network = new Network(this, "Network", {
      flowLogRetention: stage.logRetention,
    });
    this.vectorStore = new VectorStore(this, "VectorStore", {
      vpc: this.network.vpc,
      subnets: this.network.databaseSubnets,
      ...stage.database,
      logRetention: stage.logRetention,
    });
    let clientId = "";
    let apiUrl = "";
    this.website = new Website(this, "Website", {
      contentPath: props.websiteContentPath,
      geoRestriction: props.geoRestriction,
      runtimeConfig: () => ({
        apiUrl,
        clientId,
        issuerUrl: this.identity.issuerUrl,
        signOutUrl: this.identity.signOutUrl,
      }),
    });
    const client = this.identity.addWebsiteClient(
      "WebsiteClient",
      this.website.origin,
    );
    this.chatApi = new ChatApi(this, "ChatApi", {
      userPool: this.identity.userPool,
      websiteOrigin: this.website.origin,
      handlersDist: props.handlersDist,
      network: {
        vpc: this.network.vpc,
        subnets: this.network.applicationSubnets,
      },
      vectorStore: this.vectorStore,
      logRetention: stage.logRetention,
    });
    clientId = client.userPoolClientId;
    apiUrl = this.chatApi.api.api.urlForPath();
    new CfnOutput(this, "WebsiteUrl", { value: this.website.origin });
    new CfnOutput(this, "ApiUrl", { value: apiUrl });
    new CfnOutput(this, "UserPoolId", {
      value: this.identity.userPool.userPoolId,
    });
    applyNagSuppressions(this, {
      geoRestricted: props.geoRestriction !== undefined,
    });
  }
}
