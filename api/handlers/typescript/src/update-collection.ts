import {
  updateCollectionHandler,
  UpdateCollectionChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  collectionChangesRequest,
  parseInput,
  updateCollection as update,
} from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard, jsonBody } from "./lib/http";
import { database } from "./lib/services";

/** PATCH /admin/collections/{collectionId}: a new name or new read grants, audited field by field. */
export const updateCollection: UpdateCollectionChainedHandlerFunction = async (
  request,
) => ({
  statusCode: 200,
  body: await update(
    await database(),
    callerOf(request),
    request.input.requestParameters.collectionId,
    parseInput(collectionChangesRequest, jsonBody(request)),
  ),
});

/** Lambda entry point. */
export const handler = guard(
  updateCollectionHandler(...INTERCEPTORS, updateCollection),
);
