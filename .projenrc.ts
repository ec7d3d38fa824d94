import { monorepo } from "@aws/pdk";
import { javascript } from "projen";
import { sextantApi } from "./projenrc/api";
import { sextantBench } from "./projenrc/bench";
import { sextantCli } from "./projenrc/cli";
import { sextantCore } from "./projenrc/core";
import { sextantE2e } from "./projenrc/e2e";
import { githubWorkflows } from "./projenrc/github";
import { sextantInfra } from "./projenrc/infra";
import { sextantLocal } from "./projenrc/local";
import { CDK_NAG, NODE_TYPES, PNPM } from "./projenrc/versions";
import { sextantWebsite } from "./projenrc/website";
import { developerWorkflow } from "./projenrc/workflow";

// Sextant, declared: every package, its dependencies and tasks. Each subproject's declaration
// lives in projenrc/<name>.ts; run `npx projen` after editing any of them.
const root = new monorepo.MonorepoTsProject({
  name: "sextant",
  description: "Secure conversational RAG for AWS",
  license: "Apache-2.0",
  copyrightOwner: "Sextant contributors",
  packageManager: javascript.NodePackageManager.PNPM,
  projenrcTs: true,
  devDeps: ["@aws/pdk@0.26.15", "projen@0.82.8", PNPM, NODE_TYPES],
});
root.package.addPackageResolutions(
  `cdk-nag@${CDK_NAG}`,
  // One React in the tree: the generated hooks library asks for any version and would get 19.
  "react@^18.3.1",
  "react-dom@^18.3.1",
  "@types/react@^18.3.0",
);
// unpdf's optional `canvas` (for rendering pages, which Sextant never does) would try a native
// build that needs GitHub downloads and cairo: leave it out.
root.package.addPackageResolutions("canvas@-");
// vitest 3.2's worker gives up on its reporter after 60 s without an answer, and a run whose tests
// all passed exits 1 ("Timeout calling onTaskUpdate") when 2 cores are busy with several packages'
// tests. The fix of vitest 4 (no timeout on that channel), applied to 3.2.7; vitest 4 is not taken
// for it (projenrc/versions.ts).
root.package.file.addOverride("pnpm.patchedDependencies", {
  "vitest@3.2.7": "patches/vitest@3.2.7.patch",
});
root.package.addField("packageManager", PNPM);
root.tryFindObjectFile(".eslintrc.json")?.addDeletionOverride("env.jest");

const core = sextantCore(root); //            packages/core   the domain
const api = sextantApi(root, core); //        api/            TypeSpec model → runtime, CDK, hooks, docs, handlers
const website = sextantWebsite(root, api); // website/        React + Cloudscape (Vite)
const local = sextantLocal(root, api, website, core); // packages/local  `npm start`
const cli = sextantCli(root, local, core); //       packages/cli    `npx sextant`
const e2e = sextantE2e(root, local); //        packages/e2e    the website in Chromium
const infra = sextantInfra(root, api, website, core); // infra/ the CDK app under PDK Nag
const bench = sextantBench(root, cli, local, core, e2e); // packages/bench  `npm run bench`

// `npx sextant` from the repository root.
root.addDevDeps(`${cli.package.packageName}@workspace:*`);

// Packages import each other's public entries only (package.json `exports`), never `lib/...`.
for (const project of [core, api.handlers.typescript!, website, local, cli, e2e, infra, bench])
  project.eslint?.addRules({
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            group: ["@sextant/*/lib", "@sextant/*/lib/*"],
            message: "Import a package's public entry (its package.json exports), not its lib/ files.",
          },
        ],
      },
    ],
  });

// CI on GitHub: `npm test` on pushes and pull requests, a weekly audit and dependency upgrade.
githubWorkflows(root);

// `npm start`, `npm test`, `npm run bench` and the drift check.
developerWorkflow(root, [core, api.handlers.typescript!, website, local, cli, e2e, infra], local, cli, bench, infra);

root.synth();
