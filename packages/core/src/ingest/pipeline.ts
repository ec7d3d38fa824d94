import { createHash } from "crypto";
import { basename } from "path";
import { chunkText, type ChunkOptions } from "./chunk";
import { extractDocument } from "./extract";
import { toVector, type Database } from "../db/database";
import { GENERAL_COLLECTION_ID } from "../db/migrations";
import type { Embedder } from "../embeddings/embedder";

// The steps of ingesting one document, shared by `sextant ingest` (in-process, several documents
// at a time) and the Step Functions state machine on AWS (one Lambda per step, see
// `ingest/aws-steps.ts`): prepare (hash, extract, chunk) → embed → write.

/** The SHA-256 of a document's bytes or a chunk's text, hex. */
export const sha256 = (data: string | Uint8Array): string =>
  createHash("sha256").update(data).digest("hex");

/** A document cut into chunks, ready to embed. */
export interface PreparedDocument {
  readonly source: string;
  readonly title: string;
  readonly contentHash: string;
  readonly chunks: readonly string[];
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

/** Extracts a document's text and cuts it into chunks. */
export async function prepareDocument(
  source: string,
  bytes: Uint8Array,
  chunking?: ChunkOptions,
): Promise<PreparedDocument> {
  const contentHash = sha256(bytes);
  const doc = await extractDocument(source, bytes);
  return {
    source,
    title: doc.title,
    contentHash,
    chunks: chunkText(doc.text, chunking),
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
        doc.chunks.slice(b, b + batchSize).map((c) => `${doc.title}\n${c}`),
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
      `INSERT INTO documents (source, title, content_hash, metadata, status, chunk_count, collection_id)
       VALUES ($1, $2, $3, $4, 'ready', $5, coalesce($6::uuid, '${GENERAL_COLLECTION_ID}'))
       ON CONFLICT (source) DO UPDATE SET title = EXCLUDED.title, content_hash = EXCLUDED.content_hash,
         metadata = EXCLUDED.metadata, status = 'ready', error = NULL, chunk_count = EXCLUDED.chunk_count, updated_at = now(),
         collection_id = coalesce($6::uuid, documents.collection_id)
       RETURNING id`,
      [
        doc.source,
        doc.title,
        doc.contentHash,
        JSON.stringify({ embeddingModel }),
        doc.chunks.length,
        collectionId ?? null,
      ],
    );
    const documentId = rows[0].id;
    const { rows: before } = await tx.query<{ n: number }>(
      "WITH gone AS (DELETE FROM chunks WHERE document_id = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone",
      [documentId],
    );
    await tx.query(
      `INSERT INTO chunks (document_id, ordinal, content, content_hash, embedding, tsv)
       SELECT $1, t.ordinal, t.content, t.hash, t.embedding::vector,
              chunk_tsv($2, t.content)
       FROM unnest($3::int[], $4::text[], $5::text[], $6::text[]) AS t(ordinal, content, hash, embedding)`,
      [
        documentId,
        doc.title,
        doc.chunks.map((_, n) => n),
        doc.chunks,
        doc.chunks.map((c) => sha256(c)),
        embeddings.map(toVector),
      ],
    );
    return before[0].n > 0 ? "updated" : "added";
  });
}

/** Marks a new source as pending, so the documents API shows it while it is being ingested. */
export async function markPending(
  db: Database,
  source: string,
  contentHash: string,
): Promise<void> {
  await db.query(
    `INSERT INTO documents (source, title, content_hash, status) VALUES ($1, $2, $3, 'pending')
     ON CONFLICT (source) DO NOTHING`,
    [source, basename(source), contentHash],
  );
}

/**
 * Records why a document failed, visible in the documents API. A document that is ready keeps
 * its chunks and status (its previous version stays searchable), and the same bytes failing the
 * same way again write nothing.
 */
export async function recordFailure(
  db: Database,
  source: string,
  contentHash: string,
  error: string,
): Promise<void> {
  await db.query(
    `INSERT INTO documents (source, title, content_hash, status, error)
     VALUES ($1, $2, $3, 'failed', $4)
     ON CONFLICT (source) DO UPDATE SET status = 'failed', error = EXCLUDED.error,
       content_hash = EXCLUDED.content_hash, updated_at = now()
     WHERE documents.status <> 'ready'
       AND (documents.content_hash, documents.error) IS DISTINCT FROM (EXCLUDED.content_hash, EXCLUDED.error)`,
    [source, basename(source), contentHash, error.slice(0, 1000)],
  );
}
