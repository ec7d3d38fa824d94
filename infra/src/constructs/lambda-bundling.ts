import { createRequire } from "node:module";
import * as path from "node:path";
import {
  OutputFormat,
  type BundlingOptions,
} from "aws-cdk-lib/aws-lambda-nodejs";

const fromCore = createRequire(require.resolve("@sextant/core/package.json"));

/** The folder of the package `name`, as @sextant/core resolves it (its `exports` may hide package.json). */
function packageDirectory(name: string): string {
  const entry = fromCore.resolve(name);
  return entry.slice(
    0,
    entry.lastIndexOf(`/node_modules/${name}/`) +
      `/node_modules/${name}`.length,
  );
}

/**
 * How the CDK app bundles its own Lambdas at synth (ingestion steps, redrive, migration), as the
 * handlers package bundles the API's (api/handlers/typescript/scripts/bundle.mjs): minified ES
 * modules, tree-shaken — @sextant/core from its TypeScript sources (`sextant-source`), the AWS
 * SDK from its ES module build.
 *
 * `packages` are left out of the bundle and shipped beside it in `node_modules/`, for engines
 * that are imported dynamically and only for some inputs (the PDF engine, 1.7 MB, only when a PDF
 * arrives): the bundle stays small, and the engine loads when first used.
 */
export function lambdaBundling(
  options: {
    packages?: readonly string[];
    /** Left out and not shipped: code the function never reaches (local OCR, say). */
    leftOut?: readonly string[];
    sourceMap?: boolean;
  } = {},
): BundlingOptions {
  const packages = options.packages ?? [];
  return {
    format: OutputFormat.ESM,
    mainFields: ["module", "main"],
    // With custom conditions esbuild drops its default `module` one: named again.
    esbuildArgs: { "--conditions": "sextant-source,module" },
    // CommonJS dependencies (pg, Powertools) call require() for Node's own modules.
    banner:
      'import{createRequire as __sextantRequire}from"node:module";const require=__sextantRequire(import.meta.url);',
    minify: true,
    sourceMap: options.sourceMap ?? false,
    // The AWS SDK is bundled, as far as each function uses it: a tree-shaken client is smaller
    // than loading the runtime's copy whole, and its version is the one tested.
    externalModules: [...packages, ...(options.leftOut ?? [])],
    ...(packages.length
      ? {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (_input: string, output: string) => [
              `mkdir -p "${path.join(output, "node_modules")}"`,
              ...packages.map(
                (name) =>
                  `cp -RL "${packageDirectory(name)}" "${path.join(output, "node_modules", name)}"`,
              ),
            ],
          },
        }
      : {}),
  };
}
