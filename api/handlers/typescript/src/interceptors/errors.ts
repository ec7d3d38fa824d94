import type { ChainedRequestInput, OperationResponse } from '@sextant/api-typescript-runtime';
import { LoggingInterceptor } from '@sextant/api-typescript-runtime';
import {
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  PayloadTooLargeError,
  PreconditionFailedError,
  ServiceUnavailableError,
  UnauthenticatedError,
} from '@sextant/core';
import { respond } from './respond';

/** Postgres and socket error codes that mean "the database is unreachable or overloaded for now". */
const UNAVAILABLE = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND',
  '08000', '08001', '08003', '08006', '57P01', '57P02', '57P03', '53300',
]);

/** Whether an error means a dependency is down for now (503, retry later) rather than a bug. */
export function isUnavailable(e: unknown): boolean {
  if (e instanceof ServiceUnavailableError) return true;
  const err = e as { code?: unknown; name?: unknown; message?: unknown };
  return (
    (typeof err?.code === 'string' && UNAVAILABLE.has(err.code)) ||
    err?.name === 'ModelUnavailableError' ||
    (typeof err?.message === 'string' && /Connection terminated|timeout exceeded when trying to connect/.test(err.message))
  );
}

/**
 * Maps core's typed errors to HTTP once, for every operation: invalid input → 400 with the
 * fields, forbidden → 403, not found → 404, stale version → 412, too large → 413, a dependency
 * down → 503 with `Retry-After`; anything else → 500 with a generic message (the error is logged,
 * never returned: no stack traces to callers).
 */
export async function mapErrors<P, B, R extends OperationResponse<number, any>>(
  request: ChainedRequestInput<P, B, R>,
): Promise<R> {
  try {
    return await request.chain.next(request);
  } catch (e) {
    if (e instanceof InvalidInputError) return respond<R>(400, { message: e.message, fields: e.fields });
    if (e instanceof UnauthenticatedError) return respond<R>(401, { message: e.message });
    if (e instanceof ForbiddenError) return respond<R>(403, { message: e.message });
    if (e instanceof NotFoundError) return respond<R>(404, { message: e.message });
    if (e instanceof PreconditionFailedError) return respond<R>(412, { message: e.message });
    if (e instanceof PayloadTooLargeError) return respond<R>(413, { message: e.message });
    const logger = LoggingInterceptor.getLogger(request);
    if (isUnavailable(e)) {
      const retryAfter = e instanceof ServiceUnavailableError ? e.retryAfterSeconds : 5;
      logger.warn('Dependency unavailable', { error: (e as Error).name, code: (e as { code?: string }).code });
      return respond<R>(
        503,
        { message: `Sextant cannot reach its database or model right now; nothing was saved. Try again in ${retryAfter} seconds.` },
        { 'Retry-After': String(retryAfter) },
      );
    }
    logger.error('Unhandled error', e as Error);
    return respond<R>(500, { message: 'Internal error. It has been logged; try again later.' });
  }
}
