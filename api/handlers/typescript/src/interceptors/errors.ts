import type { ChainedRequestInput, OperationResponse } from '@sextant/api-typescript-runtime';
import { LoggingInterceptor } from '@sextant/api-typescript-runtime';
import { ForbiddenError, InvalidInputError, UnauthenticatedError } from '@sextant/core';
import { respond } from './respond';

/**
 * Maps core's typed errors to HTTP once, for every operation: invalid input → 400 with the
 * fields, forbidden → 403, unauthenticated → 401; anything else → 500 with a generic message
 * (the error is logged, never returned: no stack traces to callers).
 */
export async function mapErrors<P, B, R extends OperationResponse<number, any>>(
  request: ChainedRequestInput<P, B, R>,
): Promise<R> {
  try {
    return await request.chain.next(request);
  } catch (e) {
    if (e instanceof InvalidInputError) return respond<R>(400, { message: e.message, fields: e.fields });
    if (e instanceof ForbiddenError) return respond<R>(403, { message: e.message });
    if (e instanceof UnauthenticatedError) return respond<R>(401, { message: e.message });
    LoggingInterceptor.getLogger(request).error('Unhandled error', e as Error);
    return respond<R>(500, { message: 'Internal error. It has been logged; try again later.' });
  }
}
