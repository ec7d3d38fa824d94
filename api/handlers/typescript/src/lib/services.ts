import { ServiceUnavailableError } from "@sextant/core";
import type { OpenAIKey } from "@sextant/core/aws";
import {
  connectPostgres,
  type Database,
  type UploadTarget,
  type UserDirectory,
} from "@sextant/core/store";

/** What the handlers work with, beyond the request: storage, users, uploads. */
export interface Services {
  readonly db: Database;
  readonly users: UserDirectory;
  readonly uploads: UploadTarget;
  /** The OpenAI-compatible key and its origin. @default from the environment (`SEXTANT_OPENAI_API_KEY…`) */
  readonly openAiKey?: OpenAIKey;
}

let provided: Services | undefined;
const built = new Map<keyof Services, Promise<unknown>>();

/** Hands the handlers their services (the local stack does, in-process); on Lambda they come from the environment. */
export function provideServices(services: Services): void {
  provided = services;
  built.clear();
}

/**
 * One of the services: the provided one, or on Lambda built from the environment on first use and
 * kept for the container's life. A failure is not kept: the next request tries again. Each handler
 * asks only for what it uses (`database()` here; `userDirectory()`, `uploadTarget()`, `openAiKey()`
 * in modules of their own, which load their AWS SDK client on first use): its bundle holds only
 * those clients, and none is loaded at the cold start.
 */
export function service<K extends keyof Services>(
  name: K,
  fromEnvironment: () => Promise<Services[K]> | Services[K],
): Promise<Services[K]> {
  if (provided) return Promise.resolve(provided[name]);
  let once = built.get(name) as Promise<Services[K]> | undefined;
  if (!once) {
    once = Promise.resolve().then(fromEnvironment);
    built.set(name, once);
    once.catch(() => built.delete(name));
  }
  return once;
}

/**
 * The database. On AWS: Aurora through IAM authentication (`DATABASE_URL`, `DATABASE_IAM_AUTH=true`),
 * set by the CDK app. The deployment migrated the schema; the application user may not change it.
 */
export function database(): Promise<Database> {
  return service("db", async () => {
    const url = process.env.DATABASE_URL;
    if (!url)
      throw new Error(
        "DATABASE_URL is not set: the CDK app sets it on every handler.",
      );
    try {
      return (await connectPostgres(url, { migrate: false })).db;
    } catch (e) {
      throw new ServiceUnavailableError(
        `The database is unreachable: ${(e as Error).message}`,
      );
    }
  });
}
