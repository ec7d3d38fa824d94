import { monorepo } from "@aws/pdk";
import { javascript } from "projen";
import { TypeScriptProject } from "projen/lib/typescript";
import { NODE_TYPES } from "./versions";
import { Vitest } from "./vitest";
import {
  DocumentationFormat,
  Language,
  Library,
  ModelLanguage,
  TypeSafeApiProject,
} from "@aws/pdk/type-safe-api";

/**
 * The Sextant API: a TypeSpec model, and from it the TypeScript runtime, the CDK construct,
 * react-query hooks, HTML docs and the Lambda handler stubs (see api/README.md).
 */
export function sextantApi(parent: monorepo.MonorepoTsProject, core: TypeScriptProject): TypeSafeApiProject {
  const api = new TypeSafeApiProject({
    parent,
    outdir: "api",
    name: "@sextant/api",
    model: {
      language: ModelLanguage.TYPESPEC,
      options: { typeSpec: { namespace: "Sextant" } },
    },
    runtime: { languages: [Language.TYPESCRIPT] },
    infrastructure: { language: Language.TYPESCRIPT },
    handlers: {
      languages: [Language.TYPESCRIPT],
      // prettier, as every hand-written package (double quotes, 80 columns).
      options: { typescript: { jest: false, prettier: true } },
    },
    library: { libraries: [Library.TYPESCRIPT_REACT_QUERY_HOOKS] },
    documentation: { formats: [DocumentationFormat.HTML_REDOC] },
  });
  withoutJest(api.model.typeSpec!);

  const handlers = api.handlers.typescript!;
  handlers.addDeps(
    `${core.package.packageName}@workspace:*`,
    // Each answer's tokens and estimated cost as CloudWatch metrics (embedded metric format).
    "@aws-lambda-powertools/metrics@^2.36.0",
  );
  handlers.addDevDeps(NODE_TYPES);
  new Vitest(handlers, { args: ["--testTimeout=30000", "--hookTimeout=60000"] });
  // Every per-operation fact (@requiresGroup, @streaming, @uses, its handler module) comes from a
  // table generated from the parsed spec: the authorization interceptor, the CDK app and the local
  // stack read it, so the model stays the only place where an operation is declared.
  handlers.tasks
    .tryFind("generate")!
    .exec("node scripts/generate-operations.mjs ../../model/.api.json src/generated/operations.ts");
  // Its public API: the index, and one module per operation; `lib/...` paths are not importable.
  handlers.package.addField("exports", {
    ".": { types: "./lib/index.d.ts", default: "./lib/index.js" },
    // The per-operation table alone (no handler code), for the CDK app.
    "./model": { types: "./lib/generated/operations.d.ts", default: "./lib/generated/operations.js" },
    // The website's Content-Security-Policy alone, for the CDK app's response-headers policy.
    "./content-security-policy": {
      types: "./lib/lib/content-security-policy.d.ts",
      default: "./lib/lib/content-security-policy.js",
    },
    "./operations/*": { types: "./lib/*.d.ts", default: "./lib/*.js" },
    "./package.json": "./package.json",
  });
  handlers.package.addField("typesVersions", {
    "*": {
      model: ["lib/generated/operations.d.ts"],
      "content-security-policy": ["lib/lib/content-security-policy.d.ts"],
      "operations/*": ["lib/*.d.ts"],
    },
  });
  // One minified, tree-shaken ES module bundle per operation, built from the workspace packages'
  // TypeScript sources (scripts/bundle.mjs), in place of PDK's one-command CommonJS bundle.
  const packageTask = handlers.tasks.tryFind("package")!;
  packageTask.reset("mkdir -p dist/js");
  packageTask.exec("pnpm pack --pack-destination dist/js");
  packageTask.exec("node scripts/bundle.mjs");
  // Nothing in the generated runtime runs at import time: bundlers may drop what a handler does not use.
  api.runtime.typescript!.package.addField("sideEffects", false);
  handlers.gitignore.addPatterns("/src/generated/");
  handlers.eslint?.addIgnorePattern("src/generated/");
  return api;
}

/**
 * PDK's model project is a NodeProject with jest on and no option to turn it off; the model has
 * no tests of its own (its output is tested through the handlers), so drop jest entirely.
 */
function withoutJest(project: javascript.NodeProject): void {
  project.deps.removeDependency("jest");
  project.deps.removeDependency("jest-junit");
  project.package.file.addDeletionOverride("jest");
  project.testTask.reset();
  project.removeTask("test:watch");
}
