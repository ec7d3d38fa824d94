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
    const report = costReport({ dev, prod });
    if (mayUpdateDocs()) writeFileSync(DOC, report);
    expect(readFileSync(DOC, "utf8")).toBe(report);
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
