import type {
  ChainedRequestInput,
  OperationResponse,
} from "@sextant/api-typescript-runtime";
import { LoggingInterceptor } from "@sextant/api-typescript-runtime";
import {
  ForbiddenError,
  InvalidInputError,
  ModelUnavailableError,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  QuotaExceededError,
  ServiceUnavailableError,
  UnauthenticatedError,
} from "@sextant/core";
import { respond } from "./respond";

/** Postgres and socket error codes that mean "the database is unreachable or overloaded for now". */
const UNAVAILABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "08000",
  "08001",
  "08003",
  "08006",
  "57P01",
  "57P02",
  "57P03",
  "53300",
]);

/** Whether an error means a dependency is down for now (503, retry later) rather than a bug. */
export function isUnavailable(e: unknown): boolean {
  if (
    e instanceof ServiceUnavailableError ||
    e instanceof ModelUnavailableError
  )
    return true;
  const err = e as { code?: unknown; name?: unknown; message?: unknown };
  return (
    (typeof err?.code === "string" && UNAVAILABLE.has(err.code)) ||
    (typeof err?.message === "string" &&
      /Connection terminated|timeout exceeded when trying to connect/.test(
        err.message,
      ))
  );
}

/** An error as HTTP: status, body in the one error shape, headers. */
export interface ErrorResponse {
  readonly statusCode: number;
  readonly body: {
    code: string;
    message: string;
    fields?: readonly { path: string; message: string }[];
  };
  readonly headers?: Record<string, string>;
}

/** A minimal structured logger (Powertools' on Lambda, or console). */
type Logger = Pick<Console, "warn" | "error">;

/**
 * Maps core's typed errors to HTTP once, for every operation: invalid input → 400 with the
 * fields, forbidden → 403, not found → 404, stale version → 412, too large → 413, a usage limit
 * → 429 with the limit, its reset and `Retry-After`, a dependency
 * down → 503 with `Retry-After`; anything else → 500 with a generic message (the error is logged,
 * never returned: no stack traces to callers).
 */
export function errorResponse(e: unknown, logger: Logger): ErrorResponse {
  const status = (
    statusCode: number,
    message: string,
    fields?: ErrorResponse["body"]["fields"],
  ): ErrorResponse => {
    const { body } = respond(statusCode, {
      message,
      ...(fields ? { fields } : {}),
    }) as unknown as ErrorResponse;
    return { statusCode, body };
  };
  if (e instanceof InvalidInputError) return status(400, e.message, e.fields);
  if (e instanceof UnauthenticatedError) return status(401, e.message);
  if (e instanceof ForbiddenError) return status(403, e.message);
  if (e instanceof NotFoundError) return status(404, e.message);
  if (e instanceof PreconditionFailedError) return status(412, e.message);
  if (e instanceof PayloadTooLargeError) return status(413, e.message);
  if (e instanceof QuotaExceededError) {
    // Which limit, when it resets, and Retry-After: the client knows when to ask again.
    const { body } = status(429, e.message);
    return {
      statusCode: 429,
      body: {
        ...body,
        limit: e.limit,
        // A Date: the generated marshaller writes the model's utcDateTime.
        resetsAt: e.resetsAt,
      } as ErrorResponse["body"],
      headers: { "Retry-After": String(e.retryAfterSeconds()) },
    };
  }
  if (isUnavailable(e)) {
    const retryAfter =
      e instanceof ServiceUnavailableError ? e.retryAfterSeconds : 5;
    logger.warn("Dependency unavailable", {
      error: (e as Error).name,
      code: (e as { code?: string }).code,
    });
    return {
      ...status(
        503,
        `Sextant cannot reach its database or model right now; nothing was saved. Try again in ${retryAfter} seconds.`,
      ),
      headers: { "Retry-After": String(retryAfter) },
    };
  }
  logger.error("Unhandled error", e as Error);
  return status(500, "Internal error. It has been logged; try again later.");
}

/** The interceptor that applies {@link errorResponse} to every operation. */
export async function mapErrors<P, B, R extends OperationResponse<number, any>>(
  request: ChainedRequestInput<P, B, R>,
): Promise<R> {
  try {
    return await request.chain.next(request);
  } catch (e) {
    const { statusCode, body, headers } = errorResponse(
      e,
      LoggingInterceptor.getLogger(request),
    );
    return {
      statusCode,
      body,
      ...(headers ? { headers } : {}),
    } as unknown as R;
  }
}
