import { recordAudit } from "../audit/audit-log";
import type { Database } from "../db/database";
import { refreshLexemeStats } from "../db/migrations";
import { NotFoundError } from "../errors";
import { decodeCursor, isUuid, toPage, type Page } from "../input/cursor";
import type { PageRequest } from "../input/requests";

/** An ingested (or failed) document. */
export interface StoredDocument {
  readonly id: string;
  readonly source: string;
  readonly title: string;
  readonly status: "pending" | "ready" | "failed";
  readonly error?: string;
  readonly chunkCount: number;
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
  created_at: Date;
  updated_at: Date;
}
const COLUMNS =
  "id, source, title, status, error, chunk_count, created_at, updated_at";
const toDocument = (r: DocumentRow): StoredDocument => ({
  id: r.id,
  source: r.source,
  title: r.title,
  status: r.status,
  ...(r.error ? { error: r.error } : {}),
  chunkCount: r.chunk_count,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Documents by source path. */
export async function listStoredDocuments(
  db: Database,
  page: PageRequest,
): Promise<Page<StoredDocument>> {
  const after = page.cursor
    ? String(decodeCursor(page.cursor, ["text"])[0])
    : null;
  const { rows } = await db.query<DocumentRow>(
    `SELECT ${COLUMNS} FROM documents WHERE $1::text IS NULL OR source > $1 ORDER BY source LIMIT $2`,
    [after, page.limit + 1],
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
