import { createHash } from "crypto";
import { basename } from "path";
import { chunkSections, type Chunk, type ChunkOptions } from "./chunk";
import { extractDocument, titleFromPath, type ExtractOptions } from "./extract";
import { toVector, type Database } from "../db/database";
import { GENERAL_COLLECTION_ID } from "../db/migrations";
import type { Embedder } from "../embeddings/embedder";

// The steps of ingesting one document, shared by `sextant ingest` (in-process, several documents
// at a time) and the Step Functions state machine on AWS (one Lambda per step, see
// `ingest/aws-steps.ts`): prepare (hash, extract, chunk) → embed → write.

/** The SHA-256 of a document's bytes or a chunk's text, hex. */
export const sha256 = (data: string | Uint8Array): string =>
  createHash("sha256").update(data).digest("hex");

/** The file a document was read from. */
export interface DocumentFile {
  /** Where its bytes are: a path on this machine, `s3://bucket/key` on AWS. Never in an API response. */
  readonly origin: string;
  readonly fileName: string;
  readonly mediaType: string;
  readonly sizeBytes: number;
  /** Pages of a PDF or image, slides of a deck, sheets of a workbook. */
  readonly pages?: number;
  /** Pages read by OCR. */
  readonly ocrPages: number;
  /** The document's date, from its metadata or its description (YYYY-MM-DD, or a year). */
  readonly date?: string;
  /** The S3 object's ETag it was read from: a source's sync skips the object while it is the same. */
  readonly etag?: string;
}

/** A document cut into chunks, ready to embed. */
export interface PreparedDocument {
  /** What the document goes by: its folder and file name, or its S3 key; never a server path. */
  readonly source: string;
  readonly title: string;
  readonly contentHash: string;
  readonly chunks: readonly Chunk[];
  readonly file: DocumentFile;
  /** Scanned pages left unread (see {@link ExtractOptions.allowUnread}). */
  readonly unreadPages: number;
}

/** One file to prepare: its bytes, where they are, and what it goes by. */
export interface DocumentInput {
  readonly source: string;
  readonly origin: string;
  readonly bytes: Uint8Array;
  /** A title to use over the file's own (the demo corpus's "State of the Union — Ronald Reagan, 1982"). */
  readonly title?: string;
  readonly date?: string;
  /** The S3 object's ETag, when the file is one. */
  readonly etag?: string;
}

/** The content hash of a source's ready version, if it has one. */
export async function readyHash(
  db: Database,
  source: string,
): Promise<string | undefined> {
  const { rows } = await db.query<{ content_hash: string }>(
    "SELECT content_hash FROM documents WHERE source = $1 AND status = 'ready'",
    [source],
  );
  return rows[0]?.content_hash;
}

/** Extracts a document's text and cuts it into chunks, each with its location. */
export async function prepareDocument(
  input: DocumentInput,
  options: ExtractOptions & { readonly chunking?: ChunkOptions } = {},
): Promise<PreparedDocument> {
  const { chunking, ...extracting } = options;
  const doc = await extractDocument(input.source, input.bytes, extracting);
  const date = input.date ?? doc.date;
  return {
    source: input.source,
    title: input.title ?? doc.title,
    contentHash: sha256(input.bytes),
    chunks: chunkSections(doc.sections, chunking),
    unreadPages: doc.unreadPages,
    file: {
      origin: input.origin,
      fileName: basename(input.source),
      mediaType: doc.mediaType,
      sizeBytes: input.bytes.length,
      ...(doc.pages !== undefined ? { pages: doc.pages } : {}),
      ocrPages: doc.ocrPages,
      ...(date ? { date } : {}),
      ...(input.etag ? { etag: input.etag } : {}),
    },
  };
}

/** Embeds a document's chunks (each prefixed with its title) in batches of `batchSize` texts. */
export async function embedChunks(
  embedder: Embedder,
  doc: Pick<PreparedDocument, "title" | "chunks">,
  batchSize = 64,
): Promise<number[][]> {
  const embeddings: number[][] = [];
  for (let b = 0; b < doc.chunks.length; b += batchSize) {
    embeddings.push(
      ...(await embedder.embed(
        doc.chunks
          .slice(b, b + batchSize)
          .map((c) => `${doc.title}\n${c.text}`),
      )),
    );
  }
  return embeddings;
}

/**
 * Writes a document and all its chunks in one transaction: its old chunks are deleted in the
 * same transaction that inserts the new ones, so a reader sees the old version or the new one,
 * never both or a part. Returns whether it replaced chunks.
 */
export async function writeDocument(
  db: Database,
  doc: PreparedDocument,
  embeddings: readonly (readonly number[])[],
  embeddingModel: string,
  /** The collection to put it in. @default - where it already is; a new document: "General" */
  collectionId?: string,
): Promise<"added" | "updated"> {
  if (embeddings.length !== doc.chunks.length) {
    throw new Error(
      `${doc.source}: ${doc.chunks.length} chunks but ${embeddings.length} embeddings.`,
    );
  }
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO documents (source, title, content_hash, metadata, status, chunk_count, collection_id,
         origin, file_name, media_type, size_bytes, pages, ocr_pages, document_date)
       VALUES ($1, $2, $3, $4, 'ready', $5, coalesce($6::uuid, '${GENERAL_COLLECTION_ID}'), $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (source) DO UPDATE SET title = EXCLUDED.title, content_hash = EXCLUDED.content_hash,
         metadata = EXCLUDED.metadata, status = 'ready', error = NULL, chunk_count = EXCLUDED.chunk_count, updated_at = now(),
         collection_id = coalesce($6::uuid, documents.collection_id),
         origin = EXCLUDED.origin, file_name = EXCLUDED.file_name, media_type = EXCLUDED.media_type,
         size_bytes = EXCLUDED.size_bytes, pages = EXCLUDED.pages, ocr_pages = EXCLUDED.ocr_pages,
         document_date = EXCLUDED.document_date
       RETURNING id`,
      [
        doc.source,
        doc.title,
        doc.contentHash,
        JSON.stringify({
          embeddingModel,
          ...(doc.file.etag ? { etag: doc.file.etag } : {}),
        }),
        doc.chunks.length,
        collectionId ?? null,
        doc.file.origin,
        doc.file.fileName,
        doc.file.mediaType,
        doc.file.sizeBytes,
        doc.file.pages ?? null,
        doc.file.ocrPages,
        doc.file.date ?? null,
      ],
    );
    const documentId = rows[0].id;
    const { rows: before } = await tx.query<{ n: number }>(
      "WITH gone AS (DELETE FROM chunks WHERE document_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone",
      [documentId],
    );
    await tx.query(
      `INSERT INTO chunks (document_id, ordinal, content, content_hash, embedding, tsv, location)
       SELECT $1, t.ordinal, t.content, t.hash, t.embedding::vector,
              chunk_tsv($2, t.content), t.location::jsonb
       FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(ordinal, content, hash, embedding, location)`,
      [
        documentId,
        doc.title,
        doc.chunks.map((_, n) => n),
        doc.chunks.map((c) => c.text),
        doc.chunks.map((c) => sha256(c.text)),
        embeddings.map(toVector),
        doc.chunks.map((c) => (c.location ? JSON.stringify(c.location) : null)),
      ],
    );
    return before[0].n > 0 ? "updated" : "added";
  });
}

/** Marks a new source as pending, so the documents API shows it while it is being ingested. */
export async function markPending(
  db: Database,
  file: { readonly source: string; readonly origin: string },
  contentHash: string,
): Promise<void> {
  await db.query(
    `INSERT INTO documents (source, title, content_hash, status, origin, file_name) VALUES ($1, $2, $3, 'pending', $4, $5)
     ON CONFLICT (source) DO NOTHING`,
    [
      file.source,
      titleFromPath(file.source),
      contentHash,
      file.origin,
      basename(file.source),
    ],
  );
}

/**
 * Records why a document failed, visible in the documents API. A document that is ready keeps
 * its chunks and status (its previous version stays searchable), and the same bytes failing the
 * same way again write nothing.
 */
export async function recordFailure(
  db: Database,
  file: { readonly source: string; readonly origin?: string },
  contentHash: string,
  error: string,
): Promise<void> {
  await db.query(
    `INSERT INTO documents (source, title, content_hash, status, error, origin, file_name)
     VALUES ($1, $2, $3, 'failed', $4, $5, $6)
     ON CONFLICT (source) DO UPDATE SET status = 'failed', error = EXCLUDED.error,
       content_hash = EXCLUDED.content_hash, updated_at = now(), origin = coalesce(EXCLUDED.origin, documents.origin)
     WHERE documents.status <> 'ready'
       AND (documents.content_hash, documents.error) IS DISTINCT FROM (EXCLUDED.content_hash, EXCLUDED.error)`,
    [
      file.source,
      titleFromPath(file.source),
      contentHash,
      error.slice(0, 1000),
      file.origin ?? null,
      basename(file.source),
    ],
  );
}
