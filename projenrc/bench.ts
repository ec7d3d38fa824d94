import { monorepo } from "@aws/pdk";
import { typescript } from "projen";
import { ESM_COMPILER_OPTIONS, packageDefaults } from "./defaults";
import { PGLITE } from "./versions";

/**
 * `packages/bench`: `npm run bench` — retrieval against baselines, the API under load, Lambda cold
 * starts, the website in Chromium, the build. Its own package, so the shipped `sextant` CLI
 * carries no benchmark tooling (MiniSearch, the browser suite).
 */
export function sextantBench(
  parent: monorepo.MonorepoTsProject,
  cli: typescript.TypeScriptProject,
  local: typescript.TypeScriptProject,
  core: typescript.TypeScriptProject,
  e2e: typescript.TypeScriptProject,
): typescript.TypeScriptProject {
  const bench = new typescript.TypeScriptProject({
    ...packageDefaults(parent, "packages/bench", "@sextant/bench"),
    tsconfig: { compilerOptions: ESM_COMPILER_OPTIONS },
    tsconfigDev: { compilerOptions: ESM_COMPILER_OPTIONS },
    deps: [
      "minisearch@^7.2.0", // the BM25 baseline of the retrieval benchmark
      ...PGLITE, // Postgres over the wire for the Lambda bundles' first requests
      // The retrieval benchmark also times the `sextant` command itself.
      ...[cli, local, core, e2e].map((p) => `${p.package.packageName}@workspace:*`),
    ],
  });
  bench.package.addField("type", "module");
  return bench;
}
