import {
  listMessagesHandler,
  ListMessagesChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { listMessages as list } from "@sextant/core/rag";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard, pageOf } from "./lib/http";
import { database } from "./lib/services";

/** GET /sessions/{sessionId}/messages: the session's messages, oldest first. */
export const listMessages: ListMessagesChainedHandlerFunction = async (
  request,
) => {
  const db = await database();
  const page = await list(
    db,
    callerOf(request).id,
    request.input.requestParameters.sessionId,
    pageOf(request),
  );
  return { statusCode: 200, body: page as any };
};

/** Lambda entry point. */
export const handler = guard(
  listMessagesHandler(...INTERCEPTORS, listMessages),
);
