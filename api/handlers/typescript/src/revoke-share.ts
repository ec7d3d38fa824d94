import {
  revokeShareHandler,
  RevokeShareChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { revokeShare as revoke } from "@sextant/core/rag";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** DELETE /sessions/{sessionId}/shares/{shareId}: revokes a share of the caller's conversation. */
export const revokeShare: RevokeShareChainedHandlerFunction = async (
  request,
) => {
  const { sessionId, shareId } = request.input.requestParameters;
  await revoke(await database(), callerOf(request), sessionId, shareId);
  return { statusCode: 204, body: undefined as never };
};

/** Lambda entry point. */
export const handler = guard(revokeShareHandler(...INTERCEPTORS, revokeShare));
