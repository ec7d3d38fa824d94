import { deleteDocumentHandler, DeleteDocumentChainedHandlerFunction } from '@sextant/api-typescript-runtime';
import { deleteStoredDocument } from '@sextant/core/lib/store';
import { callerOf, INTERCEPTORS } from './interceptors';
import { guard } from './lib/http';
import { services } from './lib/services';

/** DELETE /admin/documents/{documentId}: removes the document and its chunks. */
export const deleteDocument: DeleteDocumentChainedHandlerFunction = async (request) => {
  const { db } = await services();
  await deleteStoredDocument(db, { actor: callerOf(request).username, id: request.input.requestParameters.documentId });
  return { statusCode: 204, body: undefined as never };
};

/** Lambda entry point. */
export const handler = guard(deleteDocumentHandler(...INTERCEPTORS, deleteDocument));
