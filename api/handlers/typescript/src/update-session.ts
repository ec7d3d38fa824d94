import {
  updateSessionHandler,
  UpdateSessionChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  parseInput,
  renameSession,
  updateSessionRequest,
} from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard, jsonBody } from "./lib/http";
import { database } from "./lib/services";

/** PATCH /sessions/{sessionId}: renames one of the caller's sessions. */
export const updateSession: UpdateSessionChainedHandlerFunction = async (
  request,
) => {
  const { title } = parseInput(updateSessionRequest, jsonBody(request));
  const db = await database();
  const session = await renameSession(
    db,
    callerOf(request).id,
    request.input.requestParameters.sessionId,
    title,
  );
  return { statusCode: 200, body: session };
};

/** Lambda entry point. */
export const handler = guard(
  updateSessionHandler(...INTERCEPTORS, updateSession),
);
