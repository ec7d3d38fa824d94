import type {
  ChainedRequestInput,
  OperationResponse,
} from "@sextant/api-typescript-runtime";
import {
  callerFromClaims,
  type Caller,
  UnauthenticatedError,
} from "@sextant/core";
import { currentCallerCheck } from "@sextant/core/store";
import { respond } from "./respond";
import { OPERATIONS } from "../generated/operations";
import { database } from "../lib/services";

/** The caller's current access (cached per process for a few seconds). */
const currentCaller = currentCallerCheck();

/**
 * Authorizes every request against the model: the caller must carry verified claims (401
 * otherwise), must not have been disabled since the token was issued (401), and for operations
 * marked `@requiresGroup(G)` must be a member of G now (403 otherwise; a demotion applies at the
 * next request). Denied requests never reach the handler body. The caller is left in the
 * interceptor context for handlers ({@link callerOf}).
 */
export async function authorize<P, B, R extends OperationResponse<number, any>>(
  request: ChainedRequestInput<P, B, R>,
): Promise<R> {
  const decision = await authorizeRequest(
    String(request.interceptorContext.operationId),
    request.event.requestContext?.authorizer?.claims,
  );
  if ("statusCode" in decision)
    return respond<R>(decision.statusCode, { message: decision.message });
  request.interceptorContext.caller = decision.caller;
  return request.chain.next(request);
}

/**
 * The whole access decision for a request: its verified claims, then the caller as the user
 * administration last left them. The token may predate a disable (401) or a demotion (403 on
 * admin routes): it lives until it expires.
 */
async function authorizeRequest(
  operationId: string,
  claims: Record<string, unknown> | undefined,
): Promise<{ caller: Caller } | { statusCode: 401 | 403; message: string }> {
  const decision = authorizeClaims(operationId, claims);
  if ("statusCode" in decision) return decision;
  const db = await database();
  let caller: Caller;
  try {
    caller = await currentCaller(db, decision.caller);
  } catch (e) {
    if (e instanceof UnauthenticatedError)
      return { statusCode: 401, message: e.message };
    throw e;
  }
  return authorizeCaller(operationId, caller);
}

/** The model's access decision for an operation and the request's verified claims: the caller, or 401/403 and why. */
export function authorizeClaims(
  operationId: string,
  claims: Record<string, unknown> | undefined,
): { caller: Caller } | { statusCode: 401 | 403; message: string } {
  let caller: Caller;
  try {
    caller = callerFromClaims(claims);
  } catch (e) {
    if (e instanceof UnauthenticatedError)
      return { statusCode: 401, message: e.message };
    throw e;
  }
  return authorizeCaller(operationId, caller);
}

/** The model's access decision for an operation and a caller. */
function authorizeCaller(
  operationId: string,
  caller: Caller,
): { caller: Caller } | { statusCode: 403; message: string } {
  const policy = OPERATIONS[operationId as keyof typeof OPERATIONS];
  if (!policy) {
    // An operation missing from the generated table means a stale build: fail closed.
    return {
      statusCode: 403,
      message: `Operation '${operationId}' has no access policy; rebuild the API.`,
    };
  }
  const group: string | null = policy.requiredGroup;
  if (group !== null && !caller.groups.includes(group)) {
    return {
      statusCode: 403,
      message: `Only members of the '${group}' group may ${policy.method} ${policy.path}.`,
    };
  }
  return { caller };
}

/** The caller that {@link authorize} verified for this request. */
export function callerOf(request: {
  interceptorContext: { [key: string]: any };
}): Caller {
  const caller = request.interceptorContext.caller as Caller | undefined;
  if (!caller)
    throw new Error(
      "callerOf() used on a handler without the authorize interceptor",
    );
  return caller;
}
