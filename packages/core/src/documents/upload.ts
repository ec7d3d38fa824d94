import { z } from "zod";
import { deleteStoredDocument } from "./documents";
import { recordAudit } from "../audit/audit-log";
import {
  readableCollections,
  collectionExists,
  noSuchCollection,
} from "../collections/collections";
import type { Database } from "../db/database";
import { GENERAL_COLLECTION_ID } from "../db/migrations";
import { NotFoundError, PayloadTooLargeError } from "../errors";
import type { Caller } from "../identity/caller";
import {
  isSupportedFile,
  SUPPORTED_EXTENSIONS,
} from "../ingest/supported-extensions";
import { isUuid } from "../input/cursor";

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

/** A short-lived link to a document's original file. */
export interface DownloadUrl {
  readonly url: string;
  readonly expiresAt: Date;
  readonly fileName: string;
}

/** The original file of a document, as {@link UploadTarget.createDownloadUrl} is given it. */
export interface OriginalFile {
  readonly documentId: string;
  /** Where its bytes are (a path here, `s3://bucket/key` on AWS): never in the URL. */
  readonly origin: string;
  readonly fileName: string;
  readonly mediaType: string;
}

/** Issues upload and download URLs: presigned S3 requests on AWS, a signed local endpoint locally. */
export interface UploadTarget {
  createUploadUrl(request: UploadRequest): Promise<UploadUrl>;
  /**
   * Removes the uploaded file a document was ingested from, given its origin, when it is one of
   * this target's (a deleted document must not come back with the next run over its folder).
   * Files from elsewhere (files the CLI ingested, the demo corpus) are left alone.
   */
  removeUpload(origin: string): Promise<void>;
  /** A link, valid for minutes, that downloads the original file. */
  createDownloadUrl(file: OriginalFile): Promise<DownloadUrl>;
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
  const notFound = new NotFoundError(`There is no document ${documentId}.`);
  if (!isUuid(documentId)) throw notFound;
  const { rows } = await deps.db.query<{ origin: string | null }>(
    "SELECT origin FROM documents WHERE id = $1",
    [documentId],
  );
  if (!rows[0]) throw notFound;
  if (rows[0].origin) await deps.uploads.removeUpload(rows[0].origin);
  await deleteStoredDocument(deps.db, {
    actor: actor.username,
    id: documentId,
  });
}

/**
 * A link to a document's original file, for a caller who may read its collection, audited. A
 * document the caller may not read is a 404, as one that does not exist: its existence is not told.
 */
export async function requestDownloadUrl(
  deps: DocumentAdministration,
  caller: Caller,
  documentId: string,
): Promise<DownloadUrl> {
  const notFound = new NotFoundError(`There is no document ${documentId}.`);
  if (!isUuid(documentId)) throw notFound;
  const readable = await readableCollections(deps.db, caller.groups);
  const { rows } = await deps.db.query<{
    origin: string | null;
    file_name: string | null;
    media_type: string | null;
    source: string;
  }>(
    `SELECT origin, file_name, media_type, source FROM documents
      WHERE id = $1 AND status = 'ready' AND collection_id = ANY($2::uuid[])`,
    [documentId, readable],
  );
  const found = rows[0];
  if (!found) throw notFound;
  if (!found.origin)
    throw new NotFoundError(
      `The original file of ${found.source} is not kept: ingest it again to download it.`,
    );
  const url = await deps.uploads.createDownloadUrl({
    documentId,
    origin: found.origin,
    fileName: found.file_name ?? found.source.replace(/^.*\//, ""),
    mediaType: found.media_type ?? "application/octet-stream",
  });
  await recordAudit(deps.db, {
    actor: caller.username,
    action: "document.download",
    target: found.source,
    detail: { documentId },
  });
  return url;
}

/** `attachment` with the name in ASCII and, for any other character, RFC 5987's `filename*`. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
