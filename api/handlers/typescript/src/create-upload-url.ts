import {
  createUploadUrlHandler,
  CreateUploadUrlChainedHandlerFunction,
} from "@sextant/api-typescript-runtime";
import {
  parseInput,
  requestUploadUrl,
  uploadUrlRequest,
} from "@sextant/core/store";
import { callerOf, INTERCEPTORS } from "./interceptors";
import { guard, jsonBody } from "./lib/http";
import { database } from "./lib/services";
import { uploadTarget } from "./lib/upload-target";

/** POST /admin/documents/upload-url: where to upload one document (413 above the size limit). */
export const createUploadUrl: CreateUploadUrlChainedHandlerFunction = async (
  request,
) => {
  const upload = parseInput(uploadUrlRequest, jsonBody(request));
  return {
    statusCode: 201,
    body: await requestUploadUrl(
      { db: await database(), uploads: await uploadTarget() },
      callerOf(request),
      upload,
    ),
  };
};

/** Lambda entry point. */
export const handler = guard(
  createUploadUrlHandler(...INTERCEPTORS, createUploadUrl),
);
