import { monorepo } from "@aws/pdk";
import { YamlFile } from "projen";
import { PNPM } from "./versions";

/** The container every workflow runs in: the Debian and Node the repository is verified on. */
const CONTAINER = "node:20-bookworm";
const CHECKOUT = { uses: "actions/checkout@v4" };

/**
 * GitHub Actions, generated like the rest of the repository (`npx projen`):
 * - build: the README's `npm test` (through `.ci/run`, which installs Debian's Chromium and lets
 *   nothing skip) on every push to main and every pull request;
 * - audit: `npm run audit` (high and critical advisories in production dependencies) weekly and
 *   on pull requests that change the lockfile, where the registry's audit endpoints answer;
 * - upgrade: projen's upgrade task weekly, proposed as a pull request that the build then checks.
 */
export function githubWorkflows(root: monorepo.MonorepoTsProject): void {
  const workflow = (name: string, obj: Record<string, unknown>) =>
    new YamlFile(root, `.github/workflows/${name}.yml`, { obj });

  workflow("build", {
    name: "build",
    on: { push: { branches: ["main"] }, pull_request: {} },
    permissions: { contents: "read" },
    concurrency: { group: "build-${{ github.ref }}", "cancel-in-progress": true },
    jobs: {
      build: {
        "runs-on": "ubuntu-latest",
        container: CONTAINER,
        "timeout-minutes": 90,
        steps: [
          CHECKOUT,
          // The container runs as root; the checkout belongs to the runner's user.
          { name: "Trust the checkout", run: 'git config --global --add safe.directory "$GITHUB_WORKSPACE"' },
          { name: "npm test", run: ".ci/run" },
        ],
      },
    },
  });

  workflow("audit", {
    name: "audit",
    on: {
      schedule: [{ cron: "17 5 * * 1" }],
      pull_request: { paths: ["pnpm-lock.yaml"] },
      workflow_dispatch: {},
    },
    permissions: { contents: "read" },
    jobs: {
      audit: {
        "runs-on": "ubuntu-latest",
        container: CONTAINER,
        steps: [CHECKOUT, { name: "npm run audit", run: "npm run audit" }],
      },
    },
  });

  workflow("upgrade", {
    name: "upgrade",
    on: { schedule: [{ cron: "41 4 * * 2" }], workflow_dispatch: {} },
    permissions: { contents: "write", "pull-requests": "write" },
    jobs: {
      upgrade: {
        "runs-on": "ubuntu-latest",
        container: CONTAINER,
        steps: [
          CHECKOUT,
          {
            name: "Upgrade dependencies",
            run: `npx --yes ${PNPM} install --frozen-lockfile && npx --yes ${PNPM} exec projen upgrade`,
          },
          {
            name: "Propose the upgrade",
            uses: "peter-evans/create-pull-request@v7",
            with: {
              branch: "chore/upgrade-dependencies",
              title: "chore(deps): upgrade dependencies",
              "commit-message": "chore(deps): upgrade dependencies",
              body: "Opened by the weekly upgrade workflow (projen's upgrade task). The build workflow runs `npm test` on it.",
            },
          },
        ],
      },
    },
  });
}
