import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** What `npm start` writes to `.sextant/local.json` while it runs. */
export interface LocalState {
  readonly websiteUrl: string;
  readonly apiUrl: string;
  readonly issuerUrl: string;
  readonly users: readonly {
    readonly username: string;
    readonly password: string;
    readonly groups: readonly string[];
  }[];
}

/** The state file in a data directory. */
export const localStatePath = (dataDir: string) => join(dataDir, "local.json");

/** Finds `.sextant/local.json` from `from` upwards; throws with what to do when the stack is not running. */
export function readLocalState(from: string = process.cwd()): LocalState {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = localStatePath(join(dir, ".sextant"));
    if (existsSync(file))
      return JSON.parse(readFileSync(file, "utf8")) as LocalState;
    if (dirname(dir) === dir) break;
  }
  throw new Error(
    "The local stack is not running (no .sextant/local.json found): start it with 'npm start'.",
  );
}
