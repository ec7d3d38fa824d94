import { z } from "zod";
import { deleteStoredDocument, getStoredDocument } from "./documents";
import { recordAudit } from "../audit/audit-log";
import { collectionExists, noSuchCollection } from "../collections/collections";
import type { Database } from "../db/database";
import { GENERAL_COLLECTION_ID } from "../db/migrations";
import { PayloadTooLargeError } from "../errors";
import type { Caller } from "../identity/caller";
import {
  isSupportedFile,
  SUPPORTED_EXTENSIONS,
} from "../ingest/supported-extensions";

/** Largest document an upload URL is issued for. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

export const uploadUrlRequest = z
  .object({
    filename: z
      .string()
      .min(1, "must not be empty")
      .max(200, "must be at most 200 characters")
      .refine((f) => !/[/\\]|^\.\.?$|[\u0000-\u001F\u007F]/.test(f), {
        message:
          "must be a file name, without folders, '..' or control characters",
      })
      .refine(isSupportedFile, {
        message: `must end with one of ${SUPPORTED_EXTENSIONS.join(", ")}`,
      }),
    size: z
      .number()
      .int("must be a whole number of bytes")
      .min(1, "must be at least 1 byte"),
    /** The collection the document goes into. @default "General" */
    collectionId: z
      .string()
      .uuid("must be a collection id")
      .default(GENERAL_COLLECTION_ID),
  })
  .strict();
export type UploadRequest = z.output<typeof uploadUrlRequest>;

/** Where and how to upload one document. */
export interface UploadUrl {
  readonly url: string;
  readonly method: "PUT";
  /** Headers the upload must carry. */
  readonly headers: Record<string, string>;
  readonly expiresAt: Date;
  /** The document's source once ingested. */
  readonly source: string;
}

/** Issues upload URLs: presigned S3 PUTs on AWS, a signed local endpoint locally. */
export interface UploadTarget {
  createUploadUrl(request: UploadRequest): Promise<UploadUrl>;
  /**
   * Removes the uploaded file a document was ingested from, when it is one of this target's
   * (a deleted document must not come back with the next run over its folder). Sources from
   * elsewhere (files the CLI ingested, the demo corpus) are left alone.
   */
  removeUpload(source: string): Promise<void>;
}

/** Rejects an upload that is too large (413) before any URL is issued. */
export function checkUploadSize(request: UploadRequest): void {
  if (request.size > MAX_UPLOAD_BYTES) {
    throw new PayloadTooLargeError(
      `The file is ${request.size} bytes; uploads are limited to ${MAX_UPLOAD_BYTES} bytes (50 MiB). Split it, or ingest it with the CLI.`,
    );
  }
}

/** What uploading and removing documents needs: the store, and where uploads go. */
export interface DocumentAdministration {
  readonly db: Database;
  readonly uploads: UploadTarget;
}

/** Where to upload one document (413 above the size limit), audited. */
export async function requestUploadUrl(
  deps: DocumentAdministration,
  actor: Caller,
  request: UploadRequest,
): Promise<UploadUrl> {
  checkUploadSize(request);
  if (!(await collectionExists(deps.db, request.collectionId)))
    throw noSuchCollection();
  const url = await deps.uploads.createUploadUrl(request);
  await recordAudit(deps.db, {
    actor: actor.username,
    action: "document.upload",
    target: url.source,
    detail: { size: request.size, collectionId: request.collectionId },
  });
  return url;
}

/**
 * Removes a document: the uploaded file first (so a failure leaves everything as it was, and the
 * request can be retried), then the document and its chunks, audited.
 */
export async function removeDocument(
  deps: DocumentAdministration,
  actor: Caller,
  documentId: string,
): Promise<void> {
  await deps.uploads.removeUpload(
    (await getStoredDocument(deps.db, documentId)).source,
  );
  await deleteStoredDocument(deps.db, {
    actor: actor.username,
    id: documentId,
  });
}
