import {
  createCollectionHandler,
  CreateCollectionChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  createCollection as create,
  newCollectionRequest,
  parseInput,
} from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard, jsonBody } from "./lib/http";
import { database } from "./lib/services";

/** POST /admin/collections: a new collection, read by nobody unless granted. */
export const createCollection: CreateCollectionChainedHandlerFunction = async (
  request,
) => ({
  statusCode: 201,
  body: await create(
    await database(),
    callerOf(request),
    parseInput(newCollectionRequest, jsonBody(request)),
  ),
});

/** Lambda entry point. */
export const handler = guard(
  createCollectionHandler(...INTERCEPTORS, createCollection),
);
