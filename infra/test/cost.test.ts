import { readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { synthSextant } from "./fixtures";
import { mayUpdateDocs } from "./update-docs";
import { STAGES } from "../src/config/stages";
import { idleCosts } from "../src/cost/cost-model";
import { costReport } from "../src/cost/cost-report";

const templatesOf = (synth: ReturnType<typeof synthSextant>) => [
  synth.template.toJSON() as Parameters<typeof idleCosts>[0][number],
  ...(synth.stack.edge
    ? [
        Template.fromStack(synth.stack.edge).toJSON() as Parameters<
          typeof idleCosts
        >[0][number],
      ]
    : []),
];
const dev = templatesOf(synthSextant());
const prod = templatesOf(synthSextant({ stage: STAGES.prod }));
// As `-c streamingProvisionedConcurrency='{"prod":1,"dev":3}'` sets it: prod's entry applies.
const provisionedSynth = synthSextant({
  stage: STAGES.prod,
  streamingProvisionedConcurrency: { prod: 1, dev: 3 },
});
const provisioned = templatesOf(provisionedSynth);
const DOC = path.join(__dirname, "..", "..", "docs", "cost.md");

describe("the cost model (docs/cost.md)", () => {
  it("keeps the default dev deployment under $30 a month while idle", () => {
    const monthly = idleCosts(dev).reduce((sum, c) => sum + c.monthlyUsd, 0);
    expect(monthly).toBeLessThan(30);
    expect(
      idleCosts(dev)
        .map((c) => c.item)
        .join(),
    ).not.toContain("NAT");
  });

  it("is what docs/cost.md says (regenerate with UPDATE_COST_DOC=1 after changing the infrastructure)", () => {
    const report = costReport({ dev, prod, provisioned });
    if (mayUpdateDocs()) writeFileSync(DOC, report);
    expect(readFileSync(DOC, "utf8")).toBe(report);
  });
});

describe("provisioned concurrency for the streaming handler (context streamingProvisionedConcurrency)", () => {
  const aliases = (t: Template) => t.findResources("AWS::Lambda::Alias");

  it("is off by default: API Gateway invokes the function itself", () => {
    expect(aliases(synthSextant().template)).toEqual({});
  });

  it("keeps the stage's count of environments on a `live` alias of the streaming handler, which API Gateway invokes, and prices it", () => {
    const { template } = provisionedSynth;
    const [[aliasId, alias]] = Object.entries(aliases(template));
    expect(alias.Properties).toMatchObject({
      Name: "live",
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 1 },
      FunctionName: {
        Ref: expect.stringMatching(/^ChatApistreamMessageHandler/),
      },
    });
    // The streaming integration (in the REST API's OpenAPI body) names the alias's ARN.
    const streaming: { uri: unknown }[] = [];
    JSON.stringify(template.toJSON(), (_key, value) => {
      if (value?.responseTransferMode === "STREAM") streaming.push(value);
      return value;
    });
    expect(streaming).toHaveLength(1);
    expect(JSON.stringify(streaming[0].uri)).toContain(aliasId);
    // API Gateway may invoke the alias.
    const permissions = Object.values(
      template.findResources("AWS::Lambda::Permission"),
    ).filter((p) =>
      JSON.stringify(p.Properties.FunctionName).includes(aliasId),
    );
    expect(permissions.length).toBeGreaterThan(0);
    const line = idleCosts(provisioned).find((c) =>
      c.item.startsWith("Lambda provisioned concurrency"),
    );
    // 1 × 0.5 GB × 730 h × 3,600 s × $0.0000033334.
    expect(line?.monthlyUsd).toBeCloseTo(4.38, 2);
  });
});

describe("regenerating the generated docs", () => {
  it("is refused in CI, where a test that rewrites what it checks could never fail", () => {
    expect(() => mayUpdateDocs({ UPDATE_COST_DOC: "1", CI: "true" })).toThrow(
      /refused in CI/,
    );
    expect(mayUpdateDocs({ UPDATE_COST_DOC: "1" })).toBe(true);
    expect(mayUpdateDocs({ CI: "true" })).toBe(false);
  });
});
