import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { EXAMPLE_CORP } from "./federation.js";
import type { LocalStack } from "./stack.js";

/** What `npm start` writes to `.sextant/local.json` while it runs. */
export interface LocalState {
  readonly websiteUrl: string;
  readonly apiUrl: string;
  readonly issuerUrl: string;
  readonly users: readonly {
    readonly username: string;
    readonly password: string;
    /** Sextant's groups for a local user; the directory's for one of `provider`. */
    readonly groups: readonly string[];
    /** Where this person signs in: the directory standing in for a company's ("Sign in with ExampleCorp"). */
    readonly provider?: string;
  }[];
}

/** The state file in a data directory. */
export const localStatePath = (dataDir: string) => join(dataDir, "local.json");

/** Writes the running stack's URLs and demo users to `<dataDir>/local.json` (owner-only: it holds passwords). */
export function writeLocalState(
  dataDir: string,
  stack: LocalStack,
): LocalState {
  const state: LocalState = {
    websiteUrl: stack.websiteUrl,
    apiUrl: stack.apiUrl,
    issuerUrl: stack.issuerUrl,
    users: [
      // Federated users sign in at their directory: listed below as its people, not here.
      ...stack.users
        .filter((u) => !u.provider)
        .map(({ username, password, groups }) => ({
          username,
          password,
          groups: [...groups],
        })),
      ...stack.directoryPeople.map(({ username, password, groups }) => ({
        username,
        password,
        groups: [...groups],
        provider: EXAMPLE_CORP,
      })),
    ],
  };
  mkdirSync(dataDir, { recursive: true });
  // Written aside, then renamed: whoever waits for the file (a script, a test) never reads half.
  const file = localStatePath(dataDir);
  writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2) + "\n", {
    mode: 0o600,
  });
  renameSync(`${file}.tmp`, file);
  return state;
}

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
