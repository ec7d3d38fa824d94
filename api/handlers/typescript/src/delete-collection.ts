import {
  deleteCollectionHandler,
  DeleteCollectionChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { deleteCollection as remove } from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** DELETE /admin/collections/{collectionId}: an empty collection (others, and General, refused with 400). */
export const deleteCollection: DeleteCollectionChainedHandlerFunction = async (
  request,
) => {
  await remove(
    await database(),
    callerOf(request),
    request.input.requestParameters.collectionId,
  );
  return { statusCode: 204, body: undefined as never };
};

/** Lambda entry point. */
export const handler = guard(
  deleteCollectionHandler(...INTERCEPTORS, deleteCollection),
);
