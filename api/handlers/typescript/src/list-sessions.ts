import {
  listSessionsHandler,
  ListSessionsChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { listSessions as list } from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard, pageOf } from "./lib/http";
import { database } from "./lib/services";

/** GET /sessions: the caller's sessions, most recently active first. */
export const listSessions: ListSessionsChainedHandlerFunction = async (
  request,
) => {
  const db = await database();
  return {
    statusCode: 200,
    body: await list(db, callerOf(request).id, pageOf(request)),
  };
};

/** Lambda entry point. */
export const handler = guard(
  listSessionsHandler(...INTERCEPTORS, listSessions),
);
