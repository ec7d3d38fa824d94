import { monorepo } from "@aws/pdk";
import { javascript } from "projen";
import { sextantApi } from "./projenrc/api";
import { sextantCore } from "./projenrc/core";
import { CDK_NAG, PNPM } from "./projenrc/versions";

// Sextant: the whole repository, declared. Each subproject's declaration lives in projenrc/<name>.ts.
const root = new monorepo.MonorepoTsProject({
  name: "sextant",
  description: "Secure conversational RAG for AWS",
  license: "Apache-2.0",
  copyrightOwner: "Sextant contributors",
  packageManager: javascript.NodePackageManager.PNPM,
  projenrcTs: true,
  devDeps: ["@aws/pdk@0.26.15", "projen@0.82.8", PNPM],
});
root.package.addPackageResolutions(`cdk-nag@${CDK_NAG}`);
root.package.addField("packageManager", PNPM);

const core = sextantCore(root);
const api = sextantApi(root, core);
void api;

root.synth();
