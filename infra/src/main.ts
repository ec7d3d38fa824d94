import * as path from "path";
import { AwsPrototypingChecks, PDKNag } from "@aws/pdk/pdk-nag";
import { SextantStack } from "./stacks/sextant-stack";

// Synth fails on any unsuppressed AwsPrototyping finding, error or warning; the few accepted
// ones are in nag-suppressions.ts, each with its reason.
const app = PDKNag.app({
  nagPacks: [new AwsPrototypingChecks()],
  failOnError: true,
  failOnWarning: true,
});

new SextantStack(app, "sextant-sandbox", {
  env: {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  },
  websiteContentPath: path.resolve(
    __dirname,
    "..",
    app.node.tryGetContext("sextant:websiteDist") ?? "../website/dist",
  ),
  geoRestriction: app.node.tryGetContext("sextant:geoRestriction"),
});

app.synth();
