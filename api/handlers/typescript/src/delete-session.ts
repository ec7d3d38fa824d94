import {
  deleteSessionHandler,
  DeleteSessionChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { deleteSession as remove } from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** DELETE /sessions/{sessionId}: deletes one of the caller's sessions with its messages. */
export const deleteSession: DeleteSessionChainedHandlerFunction = async (
  request,
) => {
  const db = await database();
  await remove(
    db,
    callerOf(request).id,
    request.input.requestParameters.sessionId,
  );
  return { statusCode: 204, body: undefined as never };
};

/** Lambda entry point. */
export const handler = guard(
  deleteSessionHandler(...INTERCEPTORS, deleteSession),
);
