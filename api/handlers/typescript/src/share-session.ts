import {
  shareSessionHandler,
  ShareSessionChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  parseInput,
  shareRequest,
  shareSession as share,
} from "@sextant/core/rag";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard, jsonBody } from "./lib/http";
import { database } from "./lib/services";

/** POST /sessions/{sessionId}/shares: shares the caller's conversation, read-only (400 naming the field). */
export const shareSession: ShareSessionChainedHandlerFunction = async (
  request,
) => ({
  statusCode: 201,
  body: {
    items: await share(
      await database(),
      callerOf(request),
      request.input.requestParameters.sessionId,
      parseInput(shareRequest, jsonBody(request)),
    ),
  },
});

/** Lambda entry point. */
export const handler = guard(
  shareSessionHandler(...INTERCEPTORS, shareSession),
);
