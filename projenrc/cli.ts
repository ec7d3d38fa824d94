import { monorepo } from "@aws/pdk";
import { typescript } from "projen";
import { ESM_COMPILER_OPTIONS, packageDefaults } from "./defaults";
import { Vitest } from "./vitest";

/** `packages/cli`: the `sextant` command (`npx sextant --help` from the repository root). */
export function sextantCli(parent: monorepo.MonorepoTsProject, local: typescript.TypeScriptProject): typescript.TypeScriptProject {
  const cli = new typescript.TypeScriptProject({
    ...packageDefaults(parent, "packages/cli", "@sextant/cli"),
    tsconfig: { compilerOptions: ESM_COMPILER_OPTIONS },
    tsconfigDev: { compilerOptions: ESM_COMPILER_OPTIONS },
    deps: ["commander@^14", `${local.package.packageName}@workspace:*`],
    bin: { sextant: "bin/sextant.js" },
  });
  cli.package.addField("type", "module");
  new Vitest(cli, { args: ["--testTimeout=30000"] });
  return cli;
}
