import { javascript, typescript } from "projen";
import { monorepo } from "@aws/pdk";
import { NODE_TYPES, TYPESCRIPT } from "./versions";

/** Options every hand-written TypeScript package shares: vitest instead of jest, no release, Node 20. */
export function packageDefaults(
  parent: monorepo.MonorepoTsProject,
  outdir: string,
  name: string,
): typescript.TypeScriptProjectOptions {
  return {
    parent,
    outdir,
    name,
    defaultReleaseBranch: "main",
    packageManager: javascript.NodePackageManager.PNPM,
    jest: false,
    release: false,
    package: false,
    sampleCode: false,
    prettier: true,
    minNodeVersion: "20.19.0",
    typescriptVersion: TYPESCRIPT.split("@")[1],
    devDeps: [NODE_TYPES],
    tsconfig: { compilerOptions: { lib: ["es2022"], target: "ES2022", skipLibCheck: true } },
  };
}

/** tsconfig compiler options for a native-ESM package (`"type": "module"`). */
export const ESM_COMPILER_OPTIONS: javascript.TypeScriptCompilerOptions = {
  lib: ["es2022"],
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: javascript.TypeScriptModuleResolution.NODE_NEXT,
  esModuleInterop: true,
  skipLibCheck: true,
};
