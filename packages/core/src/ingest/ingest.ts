import { createHash } from "crypto";
import { readdir, readFile, stat } from "fs/promises";
import { basename, extname, join, normalize } from "path";
import { chunkText, type ChunkOptions } from "./chunk";
import { extractDocument, SUPPORTED_EXTENSIONS } from "./extract";
import { toVector, type Database } from "../db/database";
import { ensureVectorIndex, refreshLexemeStats } from "../db/migrations";
import type { Embedder } from "../embeddings/embedder";

const sha256 = (data: string | Uint8Array) =>
  createHash("sha256").update(data).digest("hex");

/** What one ingest run did. */
export interface IngestSummary {
  added: number;
  updated: number;
  unchanged: number;
  failed: number;
  chunks: number;
  seconds: number;
  failures: { source: string; error: string }[];
}

/** Progress after each file. */
export interface IngestProgress {
  readonly done: number;
  readonly total: number;
  readonly source: string;
  readonly outcome: "added" | "updated" | "unchanged" | "failed";
}

/** Options for {@link ingestFiles}. */
export interface IngestOptions {
  readonly chunking?: ChunkOptions;
  /** Texts per embedding call. @default 64 */
  readonly batchSize?: number;
  readonly onProgress?: (progress: IngestProgress) => void;
  /** Stops between documents: what is committed stays, nothing is half-written. */
  readonly signal?: AbortSignal;
}

/** Every supported file under the given files and folders, recursively, in a stable order. */
export async function listDocumentFiles(
  paths: readonly string[],
): Promise<string[]> {
  const out: string[] = [];
  async function walk(path: string): Promise<void> {
    const info = await stat(path);
    if (info.isDirectory()) {
      const entries = (await readdir(path))
        .filter((e) => !e.startsWith("."))
        .sort();
      for (const entry of entries) await walk(join(path, entry));
    } else if (
      (SUPPORTED_EXTENSIONS as readonly string[]).includes(
        extname(path).toLowerCase(),
      )
    ) {
      out.push(normalize(path));
    }
  }
  for (const path of paths) await walk(path);
  return [...new Set(out)];
}

/**
 * Ingests files: extract → chunk → embed in batches → write the document and all its chunks in
 * one transaction (replacing its old chunks). A file whose bytes hash as before is skipped, so
 * re-ingesting writes nothing, and an interrupted run resumes where it stopped without duplicates.
 */
export async function ingestFiles(
  db: Database,
  embedder: Embedder,
  paths: readonly string[],
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const started = performance.now();
  const files = await listDocumentFiles(paths);
  const summary: IngestSummary = {
    added: 0,
    updated: 0,
    unchanged: 0,
    failed: 0,
    chunks: 0,
    seconds: 0,
    failures: [],
  };
  const known = new Map(
    (
      await db.query<{ source: string; content_hash: string }>(
        "SELECT source, content_hash FROM documents WHERE status = 'ready'",
      )
    ).rows.map((r) => [r.source, r.content_hash]),
  );
  const batchSize = options.batchSize ?? 64;
  // A bulk load into an empty store builds the vector index once at the end instead of per row.
  const { rows: existing } = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM chunks",
  );
  const bulk = existing[0].n === 0 && files.length > 1;
  if (bulk) await db.query("DROP INDEX IF EXISTS chunks_embedding_hnsw");
  try {
    await ingestEach();
  } finally {
    if (bulk) await ensureVectorIndex(db);
    if (summary.added + summary.updated > 0) await refreshLexemeStats(db);
  }
  summary.seconds = Math.round((performance.now() - started) / 10) / 100;
  return summary;

  async function ingestEach(): Promise<void> {
    for (const [i, source] of files.entries()) {
      if (options.signal?.aborted) break;
      let outcome: IngestProgress["outcome"];
      let contentHash = "";
      try {
        const bytes = await readFile(source);
        contentHash = sha256(bytes);
        if (known.get(source) === contentHash) {
          outcome = "unchanged";
        } else {
          const doc = await extractDocument(source, bytes);
          const chunks = chunkText(doc.text, options.chunking);
          const embeddings: number[][] = [];
          for (let b = 0; b < chunks.length; b += batchSize) {
            embeddings.push(
              ...(await embedder.embed(
                chunks.slice(b, b + batchSize).map((c) => `${doc.title}\n${c}`),
              )),
            );
          }
          outcome = known.has(source) ? "updated" : "added";
          await db.transaction(async (tx) => {
            const { rows } = await tx.query<{ id: string }>(
              `INSERT INTO documents (source, title, content_hash, metadata, status, chunk_count)
             VALUES ($1, $2, $3, $4, 'ready', $5)
             ON CONFLICT (source) DO UPDATE SET title = EXCLUDED.title, content_hash = EXCLUDED.content_hash,
               metadata = EXCLUDED.metadata, status = 'ready', error = NULL, chunk_count = EXCLUDED.chunk_count, updated_at = now()
             RETURNING id`,
              [
                source,
                doc.title,
                contentHash,
                JSON.stringify({ embeddingModel: embedder.modelId }),
                chunks.length,
              ],
            );
            const documentId = rows[0].id;
            await tx.query("DELETE FROM chunks WHERE document_id = $1", [
              documentId,
            ]);
            await tx.query(
              `INSERT INTO chunks (document_id, ordinal, content, content_hash, embedding, tsv)
             SELECT $1, t.ordinal, t.content, t.hash, t.embedding::vector,
                    setweight(to_tsvector('english', $2), 'A') || to_tsvector('english', t.content)
             FROM unnest($3::int[], $4::text[], $5::text[], $6::text[]) AS t(ordinal, content, hash, embedding)`,
              [
                documentId,
                doc.title,
                chunks.map((_, n) => n),
                chunks,
                chunks.map((c) => sha256(c)),
                embeddings.map(toVector),
              ],
            );
          });
          known.set(source, contentHash);
          summary.chunks += chunks.length;
        }
      } catch (e) {
        outcome = "failed";
        const error = e instanceof Error ? e.message : String(e);
        summary.failures.push({ source, error });
        // Visible in the documents API; a document that is ready keeps its chunks and status, and
        // the same bytes failing the same way again write nothing.
        await db
          .query(
            `INSERT INTO documents (source, title, content_hash, status, error)
             VALUES ($1, $2, $3, 'failed', $4)
             ON CONFLICT (source) DO UPDATE SET status = 'failed', error = EXCLUDED.error,
               content_hash = EXCLUDED.content_hash, updated_at = now()
             WHERE documents.status <> 'ready'
               AND (documents.content_hash, documents.error) IS DISTINCT FROM (EXCLUDED.content_hash, EXCLUDED.error)`,
            [source, basename(source), contentHash, error.slice(0, 1000)],
          )
          .catch(() => undefined);
      }
      summary[outcome] += 1;
      options.onProgress?.({
        done: i + 1,
        total: files.length,
        source,
        outcome,
      });
    }
  }
}

/** How much is stored: documents ready to search (failed ones are not counted), and their chunks. */
export async function corpusStats(
  db: Database,
): Promise<{ documents: number; chunks: number }> {
  const { rows } = await db.query<{ documents: string; chunks: string }>(
    "SELECT (SELECT count(*) FROM documents WHERE status = 'ready') AS documents, (SELECT count(*) FROM chunks) AS chunks",
  );
  return {
    documents: Number(rows[0].documents),
    chunks: Number(rows[0].chunks),
  };
}
