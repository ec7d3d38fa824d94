import {
  deleteDocumentHandler,
  DeleteDocumentChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import { removeDocument } from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard } from "./lib/http";
import { database } from "./lib/services";
import { uploadTarget } from "./lib/upload-target";

/** DELETE /admin/documents/{documentId}: the uploaded file, then the document and its chunks. */
export const deleteDocument: DeleteDocumentChainedHandlerFunction = async (
  request,
) => {
  await removeDocument(
    { db: await database(), uploads: await uploadTarget() },
    callerOf(request),
    request.input.requestParameters.documentId,
  );
  return { statusCode: 204, body: undefined as never };
};

/** Lambda entry point. */
export const handler = guard(
  deleteDocumentHandler(...INTERCEPTORS, deleteDocument),
);
