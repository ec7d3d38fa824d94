import { ModelUnavailableError } from "../errors";

/** An error worth retrying: throttling, a timeout, or a server-side failure. */
export class RetryableError extends Error {
  readonly name = "RetryableError";
}

const RETRYABLE_AWS = new Set([
  "ThrottlingException",
  "ServiceUnavailableException",
  "ModelNotReadyException",
  "InternalServerException",
  "ModelTimeoutException",
]);

/** Whether an error from fetch or the AWS SDK is transient. */
export function isRetryable(e: unknown): boolean {
  if (e instanceof RetryableError) return true;
  const name = (e as { name?: string })?.name ?? "";
  return (
    RETRYABLE_AWS.has(name) ||
    name === "TimeoutError" ||
    (e as { $retryable?: unknown })?.$retryable !== undefined
  );
}

/** Runs `attempt` up to `retries + 1` times with exponential backoff on transient errors, then gives up with {@link ModelUnavailableError}. */
export async function withRetries<T>(
  what: string,
  attempt: () => Promise<T>,
  retries = 2,
  baseDelayMs = 200,
): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      if (!isRetryable(e)) throw e;
      if (i >= retries)
        throw new ModelUnavailableError(
          `${what} is unavailable after ${retries + 1} attempts: ${(e as Error).message}`,
        );
      await new Promise((r) => setTimeout(r, baseDelayMs * 2 ** i));
    }
  }
}

/**
 * A model's stream, with a failure after it started (the connection broken, the server gone)
 * reported as {@link ModelUnavailableError}: the answer so far is not stored, and the client gets
 * an `error` event saying the model is unavailable. A cancellation by `signal` (the client went
 * away) passes through as it is.
 */
export async function* midStream<T>(
  what: string,
  stream: AsyncIterable<T> | Iterable<T>,
  signal?: AbortSignal,
): AsyncGenerator<T> {
  try {
    yield* stream;
  } catch (e) {
    if (signal?.aborted || e instanceof ModelUnavailableError) throw e;
    throw new ModelUnavailableError(
      `${what} stopped in the middle of its answer: ${(e as Error).message}`,
    );
  }
}
