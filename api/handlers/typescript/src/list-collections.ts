import {
  listCollectionsHandler,
  ListCollectionsChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { listCollections as list } from "@sextant/core/store";
import { INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** GET /admin/collections: every collection, its read grants and document count. */
export const listCollections: ListCollectionsChainedHandlerFunction =
  async () => ({
    statusCode: 200,
    body: { items: await list(await database()) },
  });

/** Lambda entry point. */
export const handler = guard(
  listCollectionsHandler(...INTERCEPTORS, listCollections),
);
