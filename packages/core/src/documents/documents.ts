import { recordAudit } from "../audit/audit-log";
import { collectionExists, noSuchCollection } from "../collections/collections";
import type { Database } from "../db/database";
import { refreshLexemeStats } from "../db/migrations";
import { InvalidInputError, NotFoundError } from "../errors";
import { decodeCursor, isUuid, toPage, type Page } from "../input/cursor";
import type { PageRequest } from "../input/requests";

/** An ingested (or failed) document. */
export interface StoredDocument {
  readonly id: string;
  /** What it goes by: its folder and file name, or its S3 key in the upload area; never a server path. */
  readonly source: string;
  readonly title: string;
  readonly status: "pending" | "ready" | "failed";
  readonly error?: string;
  readonly chunkCount: number;
  /** The original file's name. */
  readonly fileName?: string;
  readonly mediaType?: string;
  readonly sizeBytes?: number;
  /** Pages of a PDF or image, slides of a deck, sheets of a workbook. */
  readonly pages?: number;
  /** Pages read by OCR (0: none). */
  readonly ocrPages: number;
  /** The date its metadata gives. */
  readonly date?: string;
  /** Who uploaded it through the API; none for files ingested with the CLI. */
  readonly uploadedBy?: string;
  /** The collection it is in: who may read it. */
  readonly collectionId: string;
  readonly collectionName: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface DocumentRow {
  id: string;
  source: string;
  title: string;
  status: StoredDocument["status"];
  error: string | null;
  chunk_count: number;
  file_name: string | null;
  media_type: string | null;
  size_bytes: string | null;
  pages: number | null;
  ocr_pages: number;
  document_date: string | null;
  uploaded_by: string | null;
  collection_id: string;
  collection_name: string;
  created_at: Date;
  updated_at: Date;
}
const COLUMNS = `id, source, title, status, error, chunk_count, collection_id, created_at, updated_at,
  file_name, media_type, size_bytes, pages, ocr_pages, document_date,
  (SELECT name FROM collections c WHERE c.id = collection_id) AS collection_name,
  (SELECT actor FROM audit_log a WHERE a.action = 'document.upload' AND a.target = documents.source
    ORDER BY a.id DESC LIMIT 1) AS uploaded_by`;
const toDocument = (r: DocumentRow): StoredDocument => ({
  id: r.id,
  source: r.source,
  title: r.title,
  status: r.status,
  ...(r.error ? { error: r.error } : {}),
  chunkCount: r.chunk_count,
  ...(r.file_name ? { fileName: r.file_name } : {}),
  ...(r.media_type ? { mediaType: r.media_type } : {}),
  ...(r.size_bytes !== null ? { sizeBytes: Number(r.size_bytes) } : {}),
  ...(r.pages !== null ? { pages: r.pages } : {}),
  ocrPages: r.ocr_pages,
  ...(r.document_date ? { date: r.document_date } : {}),
  ...(r.uploaded_by ? { uploadedBy: r.uploaded_by } : {}),
  collectionId: r.collection_id,
  collectionName: r.collection_name,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * Documents by source, of one collection when `collectionId` is given (400 naming it when it is
 * not an id), whose title, source or file name contains `search` (any case) when it is given.
 */
export async function listStoredDocuments(
  db: Database,
  page: PageRequest,
  filter: { readonly collectionId?: string; readonly search?: string } = {},
): Promise<Page<StoredDocument>> {
  const after = page.cursor
    ? String(decodeCursor(page.cursor, ["text"])[0])
    : null;
  if ((filter.search?.length ?? 0) > 200)
    throw new InvalidInputError("search is too long.", [
      { path: "search", message: "must be at most 200 characters" },
    ]);
  if (filter.collectionId !== undefined && !isUuid(filter.collectionId))
    throw new InvalidInputError("collectionId is not a collection id.", [
      { path: "collectionId", message: "must be a collection id" },
    ]);
  const { rows } = await db.query<DocumentRow>(
    `SELECT ${COLUMNS} FROM documents
     WHERE ($1::text IS NULL OR source > $1) AND ($3::uuid IS NULL OR collection_id = $3)
       AND ($4::text IS NULL OR strpos(lower(title || ' ' || source), lower($4)) > 0)
     ORDER BY source LIMIT $2`,
    [
      after,
      page.limit + 1,
      filter.collectionId ?? null,
      filter.search?.trim() || null,
    ],
  );
  return toPage(rows, page.limit, toDocument, (r) => [r.source]);
}

const notFound = (id: string) =>
  new NotFoundError(`There is no document ${id}.`);

/** One document. */
export async function getStoredDocument(
  db: Database,
  id: string,
): Promise<StoredDocument> {
  if (!isUuid(id)) throw notFound(id);
  const { rows } = await db.query<DocumentRow>(
    `SELECT ${COLUMNS} FROM documents WHERE id = $1`,
    [id],
  );
  if (!rows[0]) throw notFound(id);
  return toDocument(rows[0]);
}

/** Deletes a document with its chunks, audited, in one transaction; ranking statistics follow. */
export async function deleteStoredDocument(
  db: Database,
  input: { actor: string; id: string },
): Promise<void> {
  if (!isUuid(input.id)) throw notFound(input.id);
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ source: string; chunk_count: number }>(
      "DELETE FROM documents WHERE id = $1 RETURNING source, chunk_count",
      [input.id],
    );
    if (!rows[0]) throw notFound(input.id);
    await recordAudit(tx, {
      actor: input.actor,
      action: "document.delete",
      target: rows[0].source,
      detail: { documentId: input.id, chunks: rows[0].chunk_count },
    });
  });
  await refreshLexemeStats(db);
}

/**
 * Moves a document to another collection, audited: the document and all its chunks are relabelled
 * in one transaction (a trigger moves the chunks), so no question sees it in both or in neither.
 * 404 for an unknown document, 400 naming `collectionId` for an unknown collection.
 */
export async function moveStoredDocument(
  db: Database,
  input: { actor: string; id: string; collectionId: string },
): Promise<StoredDocument> {
  if (!isUuid(input.id)) throw notFound(input.id);
  if (!isUuid(input.collectionId)) throw noSuchCollection();
  return db.transaction(async (tx) => {
    const before = await getStoredDocument(tx, input.id);
    if (!(await collectionExists(tx, input.collectionId)))
      throw noSuchCollection();
    await tx.query(
      "UPDATE documents SET collection_id = $2, updated_at = now() WHERE id = $1",
      [input.id, input.collectionId],
    );
    await recordAudit(tx, {
      actor: input.actor,
      action: "document.move",
      target: before.source,
      detail: {
        documentId: input.id,
        collectionId: { from: before.collectionId, to: input.collectionId },
      },
    });
    return getStoredDocument(tx, input.id);
  });
}
