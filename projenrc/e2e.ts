import { monorepo } from "@aws/pdk";
import { typescript } from "projen";
import { ESM_COMPILER_OPTIONS, packageDefaults } from "./defaults";
import { Vitest } from "./vitest";

/**
 * `packages/e2e`: the website in a real browser (Debian's Chromium through playwright-core, never a
 * browser download) against the local stack. Skipped, with a warning, where Chromium is missing;
 * `.ci/run` installs it.
 */
export function sextantE2e(parent: monorepo.MonorepoTsProject, local: typescript.TypeScriptProject): typescript.TypeScriptProject {
  const e2e = new typescript.TypeScriptProject({
    ...packageDefaults(parent, "packages/e2e", "@sextant/e2e"),
    tsconfig: { compilerOptions: ESM_COMPILER_OPTIONS },
    tsconfigDev: { compilerOptions: ESM_COMPILER_OPTIONS },
    deps: [`${local.package.packageName}@workspace:*`, "playwright-core@^1.56.0", "@axe-core/playwright@^4.11.0"],
  });
  e2e.package.addField("type", "module");
  const vitestArgs = ["--testTimeout=60000", "--hookTimeout=120000"];
  new Vitest(e2e, { args: vitestArgs });
  e2e.addTask("screenshots", {
    description: "Run the browser tests and save the website's screenshots into docs/images",
    env: { SEXTANT_SCREENSHOTS: "../../docs/images" },
    exec: `vitest run ${vitestArgs.join(" ")}`,
  });
  return e2e;
}
