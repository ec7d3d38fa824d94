import type { ChainedRequestInput, OperationResponse } from '@sextant/api-typescript-runtime';
import { callerFromClaims, type Caller, UnauthenticatedError } from '@sextant/core';
import { respond } from './respond';
import { ACCESS_POLICY } from '../generated/access-policy';

/**
 * Authorizes every request against the model: the caller must carry verified claims (401
 * otherwise), and for operations marked `@requiresGroup(G)` must be a member of G (403
 * otherwise). Denied requests never reach the handler body. The caller is left in the
 * interceptor context for handlers ({@link callerOf}).
 */
export async function authorize<P, B, R extends OperationResponse<number, any>>(
  request: ChainedRequestInput<P, B, R>,
): Promise<R> {
  let caller: Caller;
  try {
    caller = callerFromClaims(request.event.requestContext?.authorizer?.claims);
  } catch (e) {
    if (e instanceof UnauthenticatedError) return respond<R>(401, { message: e.message });
    throw e;
  }
  const operationId = request.interceptorContext.operationId as keyof typeof ACCESS_POLICY;
  const policy = ACCESS_POLICY[operationId];
  if (!policy) {
    // An operation missing from the generated policy means a stale build: fail closed.
    return respond<R>(403, { message: `Operation '${String(operationId)}' has no access policy; rebuild the API.` });
  }
  const group: string | null = policy.requiredGroup;
  if (group !== null && !caller.groups.includes(group)) {
    return respond<R>(403, { message: `Only members of the '${group}' group may ${policy.method} ${policy.path}.` });
  }
  request.interceptorContext.caller = caller;
  return request.chain.next(request);
}

/** The caller that {@link authorize} verified for this request. */
export function callerOf(request: { interceptorContext: { [key: string]: any } }): Caller {
  const caller = request.interceptorContext.caller as Caller | undefined;
  if (!caller) throw new Error('callerOf() used on a handler without the authorize interceptor');
  return caller;
}
