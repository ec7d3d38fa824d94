import * as path from "path";
import { CdkGraph, FilterPreset } from "@aws/pdk/cdk-graph";
import {
  CdkGraphDiagramPlugin,
  DiagramFormat,
} from "@aws/pdk/cdk-graph-plugin-diagram";
import { CdkGraphThreatComposerPlugin } from "@aws/pdk/cdk-graph-plugin-threat-composer";
import { AwsPrototypingChecks, PDKNag } from "@aws/pdk/pdk-nag";
import { cloudFormationFindings } from "./cloudformation-findings";
import { readContext } from "./config/context";
import { stageConfig } from "./config/stages";
import { PipelineStack } from "./stacks/pipeline-stack";
import { SextantStack } from "./stacks/sextant-stack";

// Synth fails on any CloudFormation Validate finding (cdk.json and below) and on any unsuppressed AwsPrototyping finding, error or warning; the few accepted
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
  sourceBuckets: context.sourceBuckets,
  devTools: context.devTools,
  natGateway: context.natGateway,
  ingestion: context.ingestion,
  models: context.models,
  streamingProvisionedConcurrency: context.streamingProvisionedConcurrency,
  federation: context.federation,
  budgetAlarm: context.budgetAlarm,
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

// On every synth, cdk-graph writes the architecture diagram (cdk.out/cdkgraph/diagram.*; SVG and
// PNG need Graphviz's `dot`, otherwise DOT only) and a starter Threat Composer model built from
// the nag findings (cdk.out/cdkgraph/threat-model.tc.json). docs/architecture.md shows both.
const graph = new CdkGraph(app, {
  plugins: [
    new CdkGraphDiagramPlugin({
      defaults: { format: [DiagramFormat.DOT, DiagramFormat.SVG] },
      diagrams: [
        {
          name: "diagram",
          title: "Sextant",
          filterPlan: { preset: FilterPreset.COMPACT },
        },
      ],
    }),
    new CdkGraphThreatComposerPlugin({
      applicationDetails: {
        name: "Sextant",
        description:
          "Secure conversational RAG: chat with an organisation's documents, with citations",
      },
    }),
  ],
});
void (async () => {
  const assembly = app.synth();
  // CloudFormation Validate's warnings (a deprecated runtime, drift-prone resources) fail synth
  // too; acknowledge one only with Validations.of(construct).acknowledge and a reason.
  const findings = cloudFormationFindings(assembly.directory);
  if (findings.length) {
    throw new Error(
      `CloudFormation validation found ${findings.length} problem(s):\n${findings.join("\n")}`,
    );
  }
  await graph.report();
})();
