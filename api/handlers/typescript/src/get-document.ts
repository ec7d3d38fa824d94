import {
  getDocumentHandler,
  GetDocumentChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { getStoredDocument } from "@sextant/core/store";
import { INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";

/** GET /admin/documents/{documentId}: status and chunk count. */
export const getDocument: GetDocumentChainedHandlerFunction = async (
  request,
) => {
  const db = await database();
  return {
    statusCode: 200,
    body: (await getStoredDocument(
      db,
      request.input.requestParameters.documentId,
    )) as any,
  };
};

/** Lambda entry point. */
export const handler = guard(getDocumentHandler(...INTERCEPTORS, getDocument));
