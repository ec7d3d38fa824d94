import {
  listSharesHandler,
  ListSharesChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { listShares as list } from "@sextant/core/rag";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** GET /sessions/{sessionId}/shares: who the caller's conversation is shared with. */
export const listShares: ListSharesChainedHandlerFunction = async (
  request,
) => ({
  statusCode: 200,
  body: {
    items: await list(
      await database(),
      callerOf(request),
      request.input.requestParameters.sessionId,
    ),
  },
});

/** Lambda entry point. */
export const handler = guard(listSharesHandler(...INTERCEPTORS, listShares));
