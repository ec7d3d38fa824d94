import { monorepo } from "@aws/pdk";
import { typescript } from "projen";
import { PNPM } from "./versions";

/** Set on `npm start` so builds skip tests; part of the build cache key, so a test run never replays it. */
export const SKIP_TESTS_ENV = "SEXTANT_SKIP_TESTS";

/**
 * The two commands of the README, runnable on a fresh clone with only Node and npm: each first
 * installs the pinned pnpm through npx (no global install) and the locked dependencies.
 * - `npm start`: builds what the local stack needs (tests skipped) and runs it.
 * - `npm test`: drift check, then every project's build: compile, vitest, eslint, CDK synth with nag.
 * - `npm run bench`: builds what the benchmarks need (tests skipped) and runs them.
 */
export function developerWorkflow(
  root: monorepo.MonorepoTsProject,
  tested: typescript.TypeScriptProject[],
  local: typescript.TypeScriptProject,
  cli: typescript.TypeScriptProject,
  bench: typescript.TypeScriptProject,
  /** The project whose tests check the docs' claim index. */
  claimIndex: typescript.TypeScriptProject,
): void {
  const bootstrap = `npx --yes ${PNPM} install --frozen-lockfile`;
  root.package.setScript("start", `${bootstrap} && pnpm exec projen start`);
  root.package.setScript("test", `${bootstrap} && pnpm exec projen ci`);
  root.package.setScript("bench", `${bootstrap} && pnpm exec projen bench`);
  root.package.setScript("test:soak", `${bootstrap} && pnpm exec projen test:soak`);
  // Needs a registry that serves npm's audit endpoints (the build machine's answers 405).
  root.package.setScript("audit", `${bootstrap} && pnpm audit --prod --audit-level high`);
  const relative = (p: typescript.TypeScriptProject) => p.outdir.slice(root.outdir.length + 1);

  const drift = root.addTask("check:drift", {
    description: "Fail when `npx projen` would change the tree",
    exec: "node projenrc/check-drift.mjs",
  });
  root.addTask("ci", {
    description: "Everything `npm test` runs: drift check, then build, test, lint and synth of every project",
    steps: [{ spawn: drift.name }, { exec: "pnpm exec nx run-many --target=build --output-style=stream" }],
  });
  root.addTask("bench", {
    description: "Build (without tests) and run the benchmarks; figures go to docs/benchmarks.md",
    steps: [
      { exec: `pnpm exec nx run ${bench.package.packageName}:build --output-style=stream`, env: { [SKIP_TESTS_ENV]: "1" } },
      { exec: `node ${relative(bench)}/lib/main.js`, receiveArgs: true },
    ],
  });
  root.addTask("test:soak", {
    description: "Build (without tests), then the soak suite: load, database partitions, SIGKILL restarts and the ingestion kill at full length",
    steps: [
      { exec: `pnpm exec nx run ${cli.package.packageName}:build --output-style=stream`, env: { [SKIP_TESTS_ENV]: "1" } },
      { exec: "pnpm exec projen test:soak", cwd: relative(local) },
      { exec: "pnpm exec projen test:soak", cwd: relative(cli) },
    ],
  });
  root.addTask("start", {
    description: "Build what the local stack needs (without tests) and run it",
    steps: [
      { exec: `pnpm exec nx run ${local.package.packageName}:build --output-style=stream`, env: { [SKIP_TESTS_ENV]: "1" } },
      { exec: `node ${relative(local)}/lib/main.js` },
    ],
  });

  // Merged into PDK's defaults (["default", "^default"]).
  // A build replays its tests' result from the cache only when what they read is the same: the
  // docs several tests compare against, whether Chromium is there for the browser suite, and CI
  // (where nothing may skip).
  const inputs = [
    { env: SKIP_TESTS_ENV },
    { env: "CI" },
    { runtime: "command -v chromium || echo no-chromium" },
    "{workspaceRoot}/docs/**/*",
  ];
  root.nx.setTargetDefault("build", { inputs: inputs as any }, true);
  // The claim index (infra/test/claim-index.test.ts) reads the names of every project's tests.
  monorepo.NxProject.ensure(claimIndex).setTarget(
    "build",
    {
      // Added to the target defaults above.
      inputs: [
        "{workspaceRoot}/**/*.test.ts",
        "{workspaceRoot}/**/*.test.tsx",
      ] as any,
    },
    true,
  );
  for (const project of tested) project.testTask.addCondition(`[ -z "$${SKIP_TESTS_ENV}" ]`);
  root.gitignore.addPatterns("/.sextant/");
}
