import { createUploadUrlHandler, CreateUploadUrlChainedHandlerFunction } from '@sextant/api-typescript-runtime';
import { checkUploadSize, parseInput, recordAudit, uploadUrlRequest } from '@sextant/core/store';
import { callerOf, INTERCEPTORS } from './interceptors';
import { guard, jsonBody } from './lib/http';
import { services } from './lib/services';

/** POST /admin/documents/upload-url: where to upload one document (413 above the size limit). */
export const createUploadUrl: CreateUploadUrlChainedHandlerFunction = async (request) => {
  const upload = parseInput(uploadUrlRequest, jsonBody(request));
  checkUploadSize(upload);
  const { db, uploads } = await services();
  const url = await uploads.createUploadUrl(upload);
  await recordAudit(db, {
    actor: callerOf(request).username,
    action: 'document.upload',
    target: url.source,
    detail: { size: upload.size },
  });
  return { statusCode: 201, body: url };
};

/** Lambda entry point. */
export const handler = guard(createUploadUrlHandler(...INTERCEPTORS, createUploadUrl));
