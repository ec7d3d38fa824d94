import {
  updateDocumentHandler,
  UpdateDocumentChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  documentChangesRequest,
  moveStoredDocument,
  parseInput,
} from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard, jsonBody } from "./lib/http";
import { database } from "./lib/services";

/** PATCH /admin/documents/{documentId}: moves the document, every passage with it, to another collection. */
export const updateDocument: UpdateDocumentChainedHandlerFunction = async (
  request,
) => {
  const { collectionId } = parseInput(
    documentChangesRequest,
    jsonBody(request),
  );
  const moved = await moveStoredDocument(await database(), {
    actor: callerOf(request).username,
    id: request.input.requestParameters.documentId,
    collectionId,
  });
  return { statusCode: 200, body: moved as any };
};

/** Lambda entry point. */
export const handler = guard(
  updateDocumentHandler(...INTERCEPTORS, updateDocument),
);
