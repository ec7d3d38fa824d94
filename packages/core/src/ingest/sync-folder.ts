import {
  ingestFiles,
  listDocumentFiles,
  type IngestOptions,
  type IngestSummary,
} from "./ingest";
import type { Database } from "../db/database";
import type { Embedder } from "../embeddings/embedder";
import {
  recordSync,
  removeSourceDocuments,
  type DocumentSource,
} from "../sources/document-sources";

/** What a folder sync did: an ingest run, and the documents removed because their file is gone. */
export type FolderSyncSummary = IngestSummary & { readonly removed: number };

/**
 * Keeps a folder source's collection equal to the folder (`sextant sync`): new and changed files are
 * ingested into it (unchanged ones skipped by content hash), and the documents whose file is gone
 * are removed with their passages. The outcome is recorded on the source.
 */
export async function syncFolderSource(
  db: Database,
  embedder: Embedder,
  source: Pick<DocumentSource, "id" | "name" | "collectionId"> & {
    readonly folder: string;
  },
  options: Omit<IngestOptions, "collectionId"> = {},
): Promise<FolderSyncSummary> {
  // The folder's files, named `<source name>/<path in the folder>`.
  const files = (await listDocumentFiles([source.folder])).map((f) => ({
    ...f,
    source: `${source.name}/${f.source.slice(f.source.indexOf("/") + 1)}`,
  }));
  const ingested = await ingestFiles(db, embedder, files, {
    ...options,
    collectionId: source.collectionId,
  });
  if (options.signal?.aborted) return { ...ingested, removed: 0 };
  const present = new Set(files.map((f) => f.source));
  const { rows } = await db.query<{ id: string; source: string }>(
    "SELECT id, source FROM documents WHERE starts_with(source, $1 || '/')",
    [source.name],
  );
  const removed = await removeSourceDocuments(
    db,
    source.name,
    rows.filter((r) => !present.has(r.source)),
  );
  await recordSync(db, source.id, {
    added: ingested.added,
    updated: ingested.updated,
    unchanged: ingested.unchanged,
    removed,
    failed: ingested.failed,
  });
  return { ...ingested, removed };
}
