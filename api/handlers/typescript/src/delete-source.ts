import {
  deleteSourceHandler,
  DeleteSourceChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { deleteSource as remove } from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** DELETE /admin/sources/{sourceId}: unregisters a source; its documents stay in their collection. */
export const deleteSource: DeleteSourceChainedHandlerFunction = async (
  request,
) => {
  await remove(
    await database(),
    callerOf(request).username,
    request.input.requestParameters.sourceId,
  );
  return { statusCode: 204, body: undefined as never };
};

/** Lambda entry point. */
export const handler = guard(
  deleteSourceHandler(...INTERCEPTORS, deleteSource),
);
