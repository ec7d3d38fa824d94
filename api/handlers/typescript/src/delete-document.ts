import {
  deleteDocumentHandler,
  DeleteDocumentChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { removeDocument } from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { services } from "./lib/services";

/** DELETE /admin/documents/{documentId}: the uploaded file, then the document and its chunks. */
export const deleteDocument: DeleteDocumentChainedHandlerFunction = async (
  request,
) => {
  await removeDocument(
    await services(),
    callerOf(request),
    request.input.requestParameters.documentId,
  );
  return { statusCode: 204, body: undefined as never };
};

/** Lambda entry point. */
export const handler = guard(
  deleteDocumentHandler(...INTERCEPTORS, deleteDocument),
);
