import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "@sextant/core/lib/db/open-database.js";
import {
  corpusStats,
  DEFAULT_INFERENCE_CONFIG,
  ingestFiles,
  LocalEmbedder,
  retrieveHybrid,
} from "@sextant/core/lib/rag.js";
import { sotuDataDir, speechOf, percentile, round } from "@sextant/local";
import MiniSearch from "minisearch";
import { benchVectorRecall } from "./vector-recall.js";

interface Question {
  readonly question: string;
  readonly sources: readonly string[];
}

/**
 * Ingests the State of the Union corpus into a scratch store, then answers the evaluation
 * questions with Sextant's hybrid retrieval and with MiniSearch (BM25) over the same chunks:
 * hit@5 at the level of the source speech, and per-query latency.
 */
export async function benchRetrieval(questionsFile: string) {
  const questions = JSON.parse(
    readFileSync(questionsFile, "utf8"),
  ) as Question[];
  const dir = mkdtempSync(join(tmpdir(), "sextant-bench-"));
  const store = await openDatabase(join(dir, "data"), "");
  try {
    const embedder = new LocalEmbedder();
    const ingest = await ingestFiles(store.db, embedder, [sotuDataDir()]);
    const reingest = await ingestFiles(store.db, embedder, [sotuDataDir()]);
    const stats = await corpusStats(store.db);

    const retrieval = { ...DEFAULT_INFERENCE_CONFIG.retrieval, k: 5 };
    const sextant = { hits: 0, ms: [] as number[], misses: [] as string[] };
    for (const q of questions)
      await retrieveHybrid(store.db, embedder, q.question, retrieval); // warm-up
    for (const q of questions) {
      const started = performance.now();
      const results = await retrieveHybrid(
        store.db,
        embedder,
        q.question,
        retrieval,
      );
      sextant.ms.push(performance.now() - started);
      if (results.some((r) => q.sources.includes(speechOf(r.source))))
        sextant.hits += 1;
      else sextant.misses.push(q.question);
    }

    const { rows } = await store.db.query<{
      id: string;
      content: string;
      title: string;
      source: string;
    }>(
      "SELECT c.id, c.content, d.title, d.source FROM chunks c JOIN documents d ON d.id = c.document_id",
    );
    const mini = new MiniSearch({
      fields: ["title", "content"],
      storeFields: ["source"],
    });
    const indexing = performance.now();
    mini.addAll(rows);
    const miniIndexSeconds = (performance.now() - indexing) / 1000;
    const bm25 = { hits: 0, ms: [] as number[] };
    for (const q of questions) {
      const started = performance.now();
      const results = mini.search(q.question).slice(0, 5);
      bm25.ms.push(performance.now() - started);
      if (results.some((r) => q.sources.includes(speechOf(r.source as string))))
        bm25.hits += 1;
    }

    return {
      corpus: {
        ...stats,
        ingestSeconds: ingest.seconds,
        reingestSeconds: reingest.seconds,
        reingestWrites: reingest.added + reingest.updated,
      },
      questions: questions.length,
      sextant: {
        hitAt5: round(sextant.hits / questions.length, 3),
        medianMs: round(percentile(sextant.ms, 50)),
        p95Ms: round(percentile(sextant.ms, 95)),
        misses: sextant.misses,
      },
      minisearch: {
        indexSeconds: round(miniIndexSeconds, 2),
        hitAt5: round(bm25.hits / questions.length, 3),
        medianMs: round(percentile(bm25.ms, 50)),
        p95Ms: round(percentile(bm25.ms, 95)),
      },
      vector: await benchVectorRecall(
        store.db,
        embedder,
        questions.map((q) => q.question),
      ),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
