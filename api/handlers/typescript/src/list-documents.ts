import {
  listDocumentsHandler,
  ListDocumentsChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { listStoredDocuments } from "@sextant/core/store";
import { INTERCEPTORS } from "./interceptors";
import { guard, pageOf } from "./lib/http";
import { database } from "./lib/services";

/** GET /admin/documents: the documents, by source (of one collection with `?collectionId=`, matching `?search=`). */
export const listDocuments: ListDocumentsChainedHandlerFunction = async (
  request,
) => {
  const db = await database();
  return {
    statusCode: 200,
    body: (await listStoredDocuments(db, pageOf(request), {
      collectionId: request.event.queryStringParameters?.collectionId,
      search: request.event.queryStringParameters?.search,
    })) as any,
  };
};

/** Lambda entry point. */
export const handler = guard(
  listDocumentsHandler(...INTERCEPTORS, listDocuments),
);
