import { ServiceUnavailableError } from "@sextant/core";
import type { OpenAIKey } from "@sextant/core/aws";
import type {
  Database,
  UploadTarget,
  UserDirectory,
} from "@sextant/core/store";

/** What the handlers work with, beyond the request: storage, users, uploads. */
export interface Services {
  readonly db: Database;
  readonly users: UserDirectory;
  readonly uploads: UploadTarget;
  /** The OpenAI-compatible key and its origin. @default from the environment (`SEXTANT_OPENAI_API_KEY…`) */
  readonly openAiKey?: OpenAIKey;
}

let current: Promise<Services> | undefined;

/** Hands the handlers their services (the local stack does, in-process); on Lambda they come from the environment. */
export function provideServices(provided: Services): void {
  current = Promise.resolve(provided);
}

/** The handlers' services: provided, or built once per Lambda container from its environment. */
export function services(): Promise<Services> {
  if (!current) {
    current = fromEnvironment();
    // A failed connection is retried by the next request rather than cached.
    current.catch(() => (current = undefined));
  }
  return current;
}

/**
 * On AWS: Aurora through IAM authentication (`DATABASE_URL`, `DATABASE_IAM_AUTH=true`), the
 * Cognito user pool (`USER_POOL_ID`) and the upload bucket (`UPLOAD_BUCKET`), all set by the CDK app.
 */
async function fromEnvironment(): Promise<Services> {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error(
      "DATABASE_URL is not set: the CDK app sets it on every handler.",
    );
  const { connectPostgres } = await import("@sextant/core/store");
  const { CognitoUserDirectory, S3UploadTarget, openAiKeyFromEnvironment } =
    await import("@sextant/core/aws");
  let db: Database;
  try {
    // The deployment migrated the schema; the application user has no rights to change it.
    db = (await connectPostgres(url, { migrate: false })).db;
  } catch (e) {
    throw new ServiceUnavailableError(
      `The database is unreachable: ${(e as Error).message}`,
    );
  }
  return {
    db,
    users: new CognitoUserDirectory(process.env.USER_POOL_ID ?? ""),
    uploads: new S3UploadTarget(process.env.UPLOAD_BUCKET ?? ""),
    // From Secrets Manager on the functions that call models (once per container).
    openAiKey: await openAiKeyFromEnvironment(),
  };
}
