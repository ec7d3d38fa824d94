import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "@sextant/core/embedded";
import {
  corpusStats,
  DEFAULT_INFERENCE_CONFIG,
  ensureVectorIndex,
  ingestFiles,
  LocalEmbedder,
  refreshLexemeStats,
  retrieveHybrid,
} from "@sextant/core/rag";
import { sotuDataDir, percentile, round } from "@sextant/local";
import { benchVectorRecall } from "./vector-recall.js";

/**
 * Search latency at scale: the SOTU corpus plus synthetic passages up to `targetChunks`. Each
 * synthetic passage joins two real ones (text, tsvector, and the normalised sum of their vectors),
 * so no two are alike and the HNSW graph is as spread as with real text.
 */
export async function benchScale(questionsFile: string, targetChunks: number) {
  const questions = (
    JSON.parse(readFileSync(questionsFile, "utf8")) as { question: string }[]
  ).map((q) => q.question);
  const dir = mkdtempSync(join(tmpdir(), "sextant-scale-"));
  const store = await openDatabase(join(dir, "data"), "");
  try {
    const embedder = new LocalEmbedder();
    await ingestFiles(store.db, embedder, [sotuDataDir()]);
    const base = (await corpusStats(store.db)).chunks;
    const copies = Math.ceil((targetChunks - base) / base);
    const started = performance.now();
    await store.db.query("DROP INDEX IF EXISTS chunks_embedding_hnsw");
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
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
