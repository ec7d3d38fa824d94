import { monorepo } from "@aws/pdk";
import { typescript } from "projen";
import { packageDefaults } from "./defaults";
import { Vitest } from "./vitest";

/** `packages/core`: the domain — inference configuration, RAG engine, persistence, authorization. */
export function sextantCore(parent: monorepo.MonorepoTsProject): typescript.TypeScriptProject {
  const core = new typescript.TypeScriptProject({
    ...packageDefaults(parent, "packages/core", "@sextant/core"),
    deps: ["zod@^3.25.0"],
  });
  new Vitest(core);
  return core;
}
