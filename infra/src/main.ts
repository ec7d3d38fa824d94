import * as path from "path";
import { AwsPrototypingChecks, PDKNag } from "@aws/pdk/pdk-nag";
import { readContext } from "./config/context";
import { stageConfig } from "./config/stages";
import { PipelineStack } from "./stacks/pipeline-stack";
import { SextantStack } from "./stacks/sextant-stack";

// Synth fails on any unsuppressed AwsPrototyping finding, error or warning; the few accepted
// ones are in nag-suppressions.ts, each with its reason.
const app = PDKNag.app({
  nagPacks: [new AwsPrototypingChecks()],
  failOnError: true,
  failOnWarning: true,
});

// -c stage=prod -c domainName=chat.example.com -c certificateArn=arn:... -c geoAllow=US,CA
// -c devTools=true -c allowedOrigins=https://tools.example.com (see docs/deploy.md)
const context = readContext((key) => app.node.tryGetContext(key));
const stage = stageConfig(context.stage);

const env = {
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: process.env.CDK_DEFAULT_REGION,
};
const stackProps = {
  websiteContentPath: path.resolve(
    __dirname,
    "..",
    app.node.tryGetContext("sextant:websiteDist") ?? "../website/dist",
  ),
  domain: context.domain,
  geoRestriction: context.geoRestriction,
  allowedOrigins: context.allowedOrigins,
  devTools: context.devTools,
};

if (context.pipeline) {
  // -c pipeline=true -c codeConnectionArn=arn:... -c repository=owner/name [-c branch=main]
  new PipelineStack(app, "sextant-pipeline", {
    env,
    ...context.pipeline,
    app: stackProps,
  });
} else {
  new SextantStack(app, `sextant-${stage.name}`, { env, stage, ...stackProps });
}

app.synth();
