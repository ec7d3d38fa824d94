import {
  getSharedConversationHandler,
  GetSharedConversationChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { sharedConversation, withCurrentGroups } from "@sextant/core/rag";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";
import { userDirectory } from "./lib/user-directory";

/** GET /shared/{sessionId}: a conversation shared with the caller, read-only (404 for anyone else). */
export const getSharedConversation: GetSharedConversationChainedHandlerFunction =
  async (request) => ({
    statusCode: 200,
    body: (await sharedConversation(
      await database(),
      // Groups as the directory has them now: a group left closes its shares at once.
      await withCurrentGroups(callerOf(request), await userDirectory()),
      request.input.requestParameters.sessionId,
    )) as any,
  });

/** Lambda entry point. */
export const handler = guard(
  getSharedConversationHandler(...INTERCEPTORS, getSharedConversation),
);
