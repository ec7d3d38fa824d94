import {
  getSessionHandler,
  GetSessionChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { getSession as get } from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** GET /sessions/{sessionId}: one of the caller's sessions (404 for anyone else's). */
export const getSession: GetSessionChainedHandlerFunction = async (request) => {
  const db = await database();
  return {
    statusCode: 200,
    body: await get(
      db,
      callerOf(request).id,
      request.input.requestParameters.sessionId,
    ),
  };
};

/** Lambda entry point. */
export const handler = guard(getSessionHandler(...INTERCEPTORS, getSession));
