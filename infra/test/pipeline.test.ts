import { AwsPrototypingChecks, PDKNag } from "@aws/pdk/pdk-nag";
import { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { buildArtifacts } from "./fixtures";
import { PipelineStack } from "../src/stacks/pipeline-stack";

const app = PDKNag.app({
  nagPacks: [new AwsPrototypingChecks()],
  failOnError: false,
});
const env = { account: "111111111111", region: "eu-west-1" };
const pipelineStack = new PipelineStack(app, "sextant-pipeline", {
  env,
  codeConnectionArn:
    "arn:aws:codeconnections:eu-west-1:111111111111:connection/abc",
  repository: "example/sextant",
  app: buildArtifacts(),
});
app.synth();
const template = Template.fromStack(pipelineStack);

describe("the optional delivery pipeline (PDKPipeline)", () => {
  it("deploys dev, then staging, then prod after a manual approval", () => {
    const [pipeline] = Object.values(
      template.findResources("AWS::CodePipeline::Pipeline"),
    );
    const names = pipeline.Properties.Stages.map(
      (s: { Name: string }) => s.Name,
    );
    const order = ["Sextant-dev", "Sextant-staging", "Sextant-prod"].map((n) =>
      names.indexOf(n),
    );
    expect(order.every((i: number) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const prod = pipeline.Properties.Stages.find(
      (s: { Name: string }) => s.Name === "Sextant-prod",
    );
    expect(JSON.stringify(prod.Actions)).toContain("PromoteToProd");
  });

  it("protects the prod stack from termination, and each stage gets its own configuration", () => {
    const [dev, , prod] = pipelineStack.stages;
    expect(prod.stack.terminationProtection).toBe(true);
    expect(dev.stack.terminationProtection).toBe(false);
    const cluster = (stack: typeof dev.stack) =>
      Object.values(
        Template.fromStack(stack).findResources("AWS::RDS::DBCluster"),
      )[0].Properties;
    expect(cluster(prod.stack).DeletionProtection).toBe(true);
    expect(cluster(dev.stack).DeletionProtection).toBe(false);
  });

  it("keeps every log group 1 month in dev, 3 months in staging and 12 months in prod", () => {
    const retentions = pipelineStack.stages.map(({ stack }) =>
      [stack, ...(stack.edge ? [stack.edge] : [])].flatMap((s) =>
        Object.values(
          Template.fromStack(s).findResources("AWS::Logs::LogGroup"),
        ).map((g) => g.Properties.RetentionInDays),
      ),
    );
    expect(retentions.map((days) => [...new Set(days)])).toEqual([
      [30],
      [90],
      [365],
    ]);
    expect(retentions.every((days) => days.length > 10)).toBe(true);
  });

  it("passes AwsPrototyping with nothing unsuppressed", () => {
    expect(
      app
        .nagResults()
        .flatMap((r) =>
          r.messages.map((m) =>
            `${r.resource}: ${m.messageDescription}`.slice(0, 200),
          ),
        ),
    ).toEqual([]);
  });
});
