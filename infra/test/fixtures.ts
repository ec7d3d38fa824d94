import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { AwsPrototypingChecks, PDKNag } from "@aws/pdk/pdk-nag";
import { OPERATIONS } from "@sextant/api-typescript-handlers/model";
import type { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { VALIDATE_AGAINST_DEFAULT_RULES } from "aws-cdk-lib/cx-api";
import { afterAll } from "vitest";
import { cloudFormationFindings } from "../src/cloudformation-findings";
import {
  SextantStack,
  type SextantStackProps,
} from "../src/stacks/sextant-stack";

// The folders the fixtures make (artifacts, cloud assemblies: tens of MB each), removed when the
// test file that made them ends, so runs do not fill the disk.
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0))
    rmSync(dir, { recursive: true, force: true });
});
function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Stand-ins for the built website and handler bundles, so the tests do not depend on those builds. */
export function buildArtifacts(): {
  websiteContentPath: string;
  handlersDist: string;
} {
  const root = temporaryDir("sextant-infra-");
  const websiteContentPath = path.join(root, "website");
  mkdirSync(websiteContentPath);
  writeFileSync(
    path.join(websiteContentPath, "index.html"),
    "<!doctype html><title>test</title>",
  );
  const handlersDist = path.join(root, "lambda");
  for (const op of Object.values(OPERATIONS)) {
    const dir = path.join(handlersDist, op.module);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, "index.js"),
      "exports.handler = async () => ({ statusCode: 200, body: '' });",
    );
  }
  return { websiteContentPath, handlersDist };
}

/** An ACM certificate ARN in us-east-1, as CloudFront needs. */
export const CERTIFICATE_ARN =
  "arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012";

/** Synthesizes the stack inside a PDK Nag app (AwsPrototyping), as `cdk synth` does. */
export function synthSextant(
  props: Partial<SextantStackProps> = {},
  /** Extra aspects to add before synth (another nag pack, say). */
  before?: (app: App) => void,
) {
  const app = PDKNag.app({
    outdir: temporaryDir("cdk.out"),
    nagPacks: [new AwsPrototypingChecks()],
    failOnError: false,
    // As cdk.json sets it: CloudFormation Validate findings fail synth (infra-config.test.ts).
    context: { [VALIDATE_AGAINST_DEFAULT_RULES]: true },
  });
  const stack = new SextantStack(app, "sextant-test", {
    env: { account: "111111111111", region: "eu-west-1" },
    ...buildArtifacts(),
    ...props,
  });
  before?.(app);
  const assembly = app.synth();
  // As main.ts does: CloudFormation Validate's warnings are failures.
  const findings = cloudFormationFindings(assembly.directory);
  if (findings.length) throw new Error(findings.join("\n"));
  return { app, stack, template: Template.fromStack(stack) };
}
