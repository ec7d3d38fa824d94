import { Component } from "projen";
import { TypeScriptProject } from "projen/lib/typescript";
import { VITEST } from "./versions";

/** Options for {@link Vitest}. */
export interface VitestOptions {
  /**
   * Extra vitest CLI arguments for the test task (e.g. `--environment jsdom`).
   * @default - none
   */
  readonly args?: string[];
}

/**
 * Replaces jest with vitest on a TypeScript project: `test` type-checks the tests, runs `vitest run`
 * then eslint, and
 * `test:watch` runs vitest in watch mode. Tests live next to the code (`src/**\/*.test.ts`) and
 * are excluded from the compiled output.
 */
export class Vitest extends Component {
  constructor(project: TypeScriptProject, options: VitestOptions = {}) {
    super(project);
    project.addDevDeps(VITEST);
    const args = ["vitest", "run", ...(options.args ?? [])].join(" ");
    // vitest strips types without checking them: type-check the tests (tsconfig.dev) first.
    project.testTask.reset(`tsc --noEmit -p ${project.tsconfigDev.fileName}`);
    project.testTask.exec(args);
    if (project.eslint) {
      // Tests import describe/it/expect from vitest: no jest globals.
      project.tryFindObjectFile(".eslintrc.json")?.addDeletionOverride("env.jest");
      project.eslint.allowDevDeps("**/*.test.ts");
      project.eslint.allowDevDeps("**/*.test.tsx");
      project.testTask.spawn(project.eslint.eslintTask);
    }
    project.addTask("test:watch", { exec: "vitest" });
    project.tsconfig?.addExclude("src/**/*.test.ts");
    project.tsconfig?.addExclude("src/**/*.test.tsx");
  }
}
