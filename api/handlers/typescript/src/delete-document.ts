import { deleteDocumentHandler, DeleteDocumentChainedHandlerFunction } from '@sextant/api-typescript-runtime';
import { deleteStoredDocument, getStoredDocument } from '@sextant/core/store';
import { callerOf, INTERCEPTORS } from './interceptors';
import { guard } from './lib/http';
import { services } from './lib/services';

/**
 * DELETE /admin/documents/{documentId}: removes the uploaded file first (so a failure leaves
 * everything as it was, and the request can be retried), then the document and its chunks.
 */
export const deleteDocument: DeleteDocumentChainedHandlerFunction = async (request) => {
  const { db, uploads } = await services();
  const id = request.input.requestParameters.documentId;
  await uploads.removeUpload((await getStoredDocument(db, id)).source);
  await deleteStoredDocument(db, { actor: callerOf(request).username, id });
  return { statusCode: 204, body: undefined as never };
};

/** Lambda entry point. */
export const handler = guard(deleteDocumentHandler(...INTERCEPTORS, deleteDocument));
