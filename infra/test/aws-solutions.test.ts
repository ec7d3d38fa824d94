import { readFileSync } from "fs";
import * as path from "path";
import { App, Aspects } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { CERTIFICATE_ARN, synthSextant } from "./fixtures";
import { AWS_SOLUTIONS_DECISIONS } from "../src/aws-solutions-decisions";
import { STAGES } from "../src/config/stages";

/** The AwsSolutions rule ids the stack triggers (unsuppressed findings, as metadata on constructs). */
function awsSolutionsFindings(
  props: Parameters<typeof synthSextant>[0] = {},
): string[] {
  const { stack } = synthSextant(props, (app: App) =>
    Aspects.of(app).add(new AwsSolutionsChecks({ verbose: false })),
  );
  const ids = new Set<string>();
  for (const c of stack.node.findAll()) {
    for (const entry of c.node.metadata) {
      const match = /^(AwsSolutions-[A-Za-z]+\d+)/.exec(String(entry.data));
      if (String(entry.type).startsWith("aws:cdk:") && match) ids.add(match[1]);
    }
  }
  return [...ids].sort();
}

describe("cdk-nag's AwsSolutions pack", () => {
  it("finds only what has a documented decision, and every decision is in docs/security.md", () => {
    const found = awsSolutionsFindings();
    expect(found).toEqual(Object.keys(AWS_SOLUTIONS_DECISIONS).sort());
    const doc = readFileSync(
      path.join(__dirname, "..", "..", "docs", "security.md"),
      "utf8",
    );
    for (const id of found) expect(doc, id).toContain(id);
  });

  it("finds neither geo restriction nor deletion protection in production with a geo list", () => {
    const found = awsSolutionsFindings({
      stage: STAGES.prod,
      domain: {
        domainName: "chat.example.com",
        certificateArn: CERTIFICATE_ARN,
      },
      geoRestriction: { allow: ["US", "CA"] },
    });
    expect(found).not.toContain("AwsSolutions-CFR1");
    expect(found).not.toContain("AwsSolutions-RDS10");
  });
});
