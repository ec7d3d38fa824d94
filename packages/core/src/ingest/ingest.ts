import { readdir, readFile, stat } from "fs/promises";
import { basename, join, relative, resolve, sep } from "path";
import type { ChunkOptions } from "./chunk";
import type { OcrEngine } from "./ocr";
import {
  embedChunks,
  prepareDocument,
  recordFailure,
  sha256,
  writeDocument,
} from "./pipeline";
import { isSupportedFile } from "./supported-extensions";
import type { Database } from "../db/database";
import { ensureVectorIndex, refreshLexemeStats } from "../db/migrations";
import type { Embedder } from "../embeddings/embedder";

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
  /** Documents read, extracted and embedded ahead of the one being written (each is still written in its own transaction). @default 4 */
  readonly concurrency?: number;
  readonly onProgress?: (progress: IngestProgress) => void;
  /** Writes no further document: what is committed stays, nothing is half-written. */
  readonly signal?: AbortSignal;
  /** The collection the files go into. @default - where each already is; a new one: "General" */
  readonly collectionId?: string;
  /** Reads scans and images. @default - none: a file with nothing but scans fails */
  readonly ocr?: OcrEngine;
}

/**
 * A file to ingest and what its document goes by. A folder's files go by the folder's name and
 * their path within it (`handbook/policies/leave.docx`), a file by its name: never by where they
 * are on this machine.
 */
export interface SourceFile {
  /** Where the file is. */
  readonly path: string;
  /** What its document goes by (unique in the store). */
  readonly source: string;
  /** A title over the file's own. */
  readonly title?: string;
  /** A date over the file's own (YYYY-MM-DD, or a year). */
  readonly date?: string;
}

/** Every supported file under the given files and folders, recursively, in a stable order, each with its source. */
export async function listDocumentFiles(
  paths: readonly (string | SourceFile)[],
): Promise<SourceFile[]> {
  const out = new Map<string, SourceFile>();
  async function walk(path: string, root: string | undefined): Promise<void> {
    const info = await stat(path);
    if (info.isDirectory()) {
      const entries = (await readdir(path))
        .filter((e) => !e.startsWith("."))
        .sort();
      for (const entry of entries) await walk(join(path, entry), root ?? path);
    } else if (isSupportedFile(path)) {
      const source = root
        ? [basename(resolve(root)), ...relative(root, path).split(sep)].join(
            "/",
          )
        : basename(path);
      out.set(source, { path: resolve(path), source });
    }
  }
  for (const given of paths) {
    if (typeof given === "string") await walk(given, undefined);
    else out.set(given.source, { ...given, path: resolve(given.path) });
  }
  return [...out.values()];
}

/**
 * Ingests files with the pipeline's steps (`pipeline.ts`, the same code as the Step Functions
 * state machine on AWS), a few documents at a time: extract → chunk → embed in batches → write the
 * document and all its chunks in one transaction (replacing its old chunks). A file whose bytes hash as before is skipped, so
 * re-ingesting writes nothing, and an interrupted run resumes where it stopped without duplicates.
 */
export async function ingestFiles(
  db: Database,
  embedder: Embedder,
  paths: readonly (string | SourceFile)[],
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
      await db.query<{
        source: string;
        content_hash: string;
        collection_id: string;
      }>(
        "SELECT source, content_hash, collection_id FROM documents WHERE status = 'ready'",
      )
    ).rows.map((r) => [r.source, r]),
  );
  // A bulk load into an empty store builds the vector index once at the end instead of per row.
  const { rows: existing } = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM chunks",
  );
  const bulk = existing[0].n === 0 && files.length > 1;
  if (bulk) await db.query("DROP INDEX IF EXISTS chunks_embedding_hnsw");
  // Up to `concurrency` documents are read, extracted and embedded ahead of the one being
  // written; writes happen in file order, so the store, and the vector index built from it, come
  // out the same whatever the timing.
  const lookahead = options.concurrency ?? 4;
  const ahead: ReturnType<typeof prepare>[] = [];
  try {
    for (let i = 0; i < files.length && !options.signal?.aborted; i++) {
      while (ahead.length < Math.min(files.length, i + lookahead))
        ahead.push(prepare(files[ahead.length]));
      await commit(i, await ahead[i]);
    }
  } finally {
    if (bulk) await ensureVectorIndex(db);
    if (summary.added + summary.updated > 0) await refreshLexemeStats(db);
  }
  summary.seconds = Math.round((performance.now() - started) / 10) / 100;
  return summary;

  /** Reads, extracts and embeds one document; what is left is its write (which may be its failure). */
  async function prepare(file: SourceFile) {
    const { source } = file;
    let contentHash = "";
    let write: () => Promise<IngestProgress["outcome"]>;
    try {
      const bytes = await readFile(file.path);
      contentHash = sha256(bytes);
      const stored = known.get(source);
      if (stored?.content_hash === contentHash) {
        const to = options.collectionId;
        write = async () => {
          if (!to || stored.collection_id === to) return "unchanged";
          // The same text, to another collection: its chunks move with it (one statement).
          await db.query(
            "UPDATE documents SET collection_id = $1, updated_at = now() WHERE source = $2",
            [to, source],
          );
          return "updated";
        };
      } else {
        const doc = await prepareDocument(
          { ...file, origin: file.path, bytes },
          { chunking: options.chunking, ocr: options.ocr },
        );
        const embeddings = await embedChunks(embedder, doc, options.batchSize);
        write = async () => {
          const written = await writeDocument(
            db,
            doc,
            embeddings,
            embedder.modelId,
            options.collectionId,
          );
          known.set(source, {
            source,
            content_hash: contentHash,
            collection_id: options.collectionId ?? "",
          });
          summary.chunks += doc.chunks.length;
          return written;
        };
      }
    } catch (e) {
      write = () => Promise.reject(e);
    }
    return { file, contentHash, write };
  }

  async function commit(
    i: number,
    prepared: Awaited<ReturnType<typeof prepare>>,
  ): Promise<void> {
    const { file, contentHash } = prepared;
    const { source } = file;
    let outcome: IngestProgress["outcome"];
    try {
      outcome = await prepared.write();
    } catch (e) {
      outcome = "failed";
      const error = e instanceof Error ? e.message : String(e);
      summary.failures.push({ source, error });
      await recordFailure(
        db,
        { source, origin: file.path },
        contentHash,
        error,
      ).catch(() => undefined);
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
