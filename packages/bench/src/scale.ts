import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "@sextant/core/embedded";
import {
  corpusStats,
  DEFAULT_INFERENCE_CONFIG,
  ensureCollection,
  ensureVectorIndex,
  ingestFiles,
  LocalEmbedder,
  refreshLexemeStats,
  retrieveHybrid,
  type Database,
  type Embedder,
} from "@sextant/core/rag";
import { sotuDataDir, percentile, round, speechOf } from "@sextant/local";
import { benchVectorRecall } from "./vector-recall.js";

/**
 * Search latency at scale: the SOTU corpus plus synthetic passages up to `targetChunks`. Each
 * synthetic passage joins two real ones (text, tsvector, and the normalised sum of their vectors),
 * so no two are alike and the HNSW graph is as spread as with real text.
 */
export async function benchScale(questionsFile: string, targetChunks: number) {
  const evaluation = JSON.parse(readFileSync(questionsFile, "utf8")) as {
    question: string;
    sources: string[];
  }[];
  const questions = evaluation.map((q) => q.question);
  const dir = mkdtempSync(join(tmpdir(), "sextant-scale-"));
  const store = await openDatabase(join(dir, "data"), "");
  try {
    const embedder = new LocalEmbedder();
    await ingestFiles(store.db, embedder, [sotuDataDir()]);
    const base = (await corpusStats(store.db)).chunks;
    const copies = Math.ceil((targetChunks - base) / base);
    const started = performance.now();
    await store.db.query("DROP INDEX IF EXISTS chunks_embedding_hnsw");
    // Labelled now, before the synthetic passages (which take their document's label) and the
    // vector index: relabelling indexed chunks rewrites their index entries. Unfiltered retrieval
    // ignores the labels.
    const scope = await readableTenth(store.db, evaluation);
    for (let n = 1; n <= copies; n++) {
      await store.db.query(
        `WITH numbered AS (SELECT c.*, row_number() OVER (ORDER BY c.id) AS i, count(*) OVER () AS total FROM chunks c WHERE c.ordinal < 100000)
         INSERT INTO chunks (document_id, ordinal, content, content_hash, embedding, tsv)
         SELECT a.document_id, 100000 * $1 + a.ordinal, a.content || ' ' || b.content, md5(a.content || b.content || $1),
                l2_normalize(a.embedding + b.embedding), a.tsv || b.tsv
         FROM numbered a JOIN numbered b ON b.i = ((a.i * 7 + $1 * 131) % a.total) + 1
         LIMIT $2`,
        [n, Math.min(base, targetChunks - base * n)],
      );
    }
    await ensureVectorIndex(store.db);
    await refreshLexemeStats(store.db);
    const buildSeconds = Math.round(performance.now() - started) / 1000;

    const retrieval = {
      ...DEFAULT_INFERENCE_CONFIG.retrieval,
      k: 5,
      collections: "all" as const,
    };
    for (const q of questions)
      await retrieveHybrid(store.db, embedder, q, retrieval);
    const ms: number[] = [];
    for (const q of questions) {
      const t0 = performance.now();
      await retrieveHybrid(store.db, embedder, q, retrieval);
      ms.push(performance.now() - t0);
    }
    return {
      chunks: (await corpusStats(store.db)).chunks,
      synthesizeAndIndexSeconds: buildSeconds,
      medianMs: round(percentile(ms, 50)),
      p95Ms: round(percentile(ms, 95)),
      vector: await benchVectorRecall(store.db, embedder, questions),
      filtered: await benchFiltered(store.db, embedder, scope),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A user who may read a tenth of the store (issue 23): the speeches that answer the first
 * questions, up to a tenth of all speeches, in a collection of their own; every other speech in
 * another. Returns that collection and the questions about it.
 */
async function readableTenth(
  db: Database,
  evaluation: readonly { question: string; sources: string[] }[],
) {
  const { rows: documents } = await db.query<{ id: string; source: string }>(
    "SELECT id, source FROM documents",
  );
  const readable = new Set<string>();
  const asked: { question: string; sources: string[] }[] = [];
  for (const q of evaluation) {
    if (readable.size + q.sources.length > documents.length / 10) break;
    q.sources.forEach((s) => readable.add(s));
    asked.push(q);
  }
  const mine = await ensureCollection(db, "Bench: a tenth", {
    readGroups: ["bench"],
  });
  const rest = await ensureCollection(db, "Bench: the rest", {});
  await db.query("UPDATE documents SET collection_id = $1", [rest.id]);
  await db.query(
    "UPDATE documents SET collection_id = $1 WHERE id = ANY($2::uuid[])",
    [
      mine.id,
      documents
        .filter((d) => readable.has(speechOf(d.source)))
        .map((d) => d.id),
    ],
  );
  return { collectionId: mine.id, asked };
}

/**
 * On the questions about the readable tenth: hit@5 within it against hit@5 over the whole store,
 * and the latency of each.
 */
async function benchFiltered(
  db: Database,
  embedder: Embedder,
  scope: Awaited<ReturnType<typeof readableTenth>>,
) {
  const { collectionId, asked } = scope;
  const { rows: share } = await db.query<{ mine: number; all: number }>(
    "SELECT count(*) FILTER (WHERE collection_id = $1)::int AS mine, count(*)::int AS all FROM chunks",
    [collectionId],
  );
  const run = async (collections: readonly string[] | "all") => {
    const options = {
      ...DEFAULT_INFERENCE_CONFIG.retrieval,
      k: 5,
      collections,
    };
    for (const q of asked)
      await retrieveHybrid(db, embedder, q.question, options); // warm-up
    let hits = 0;
    const ms: number[] = [];
    for (const q of asked) {
      const t0 = performance.now();
      const found = await retrieveHybrid(db, embedder, q.question, options);
      ms.push(performance.now() - t0);
      if (found.some((f) => q.sources.includes(speechOf(f.source)))) hits += 1;
    }
    return {
      hitAt5: round(hits / asked.length, 3),
      medianMs: round(percentile(ms, 50)),
      p95Ms: round(percentile(ms, 95)),
    };
  };
  return {
    questions: asked.length,
    readableChunks: share[0].mine,
    chunks: share[0].all,
    withinReadable: await run([collectionId]),
    wholeStore: await run("all"),
  };
}
