import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "@sextant/core/embedded";
import {
  corpusStats,
  DEFAULT_INFERENCE_CONFIG,
  meanScores,
  readableCollections,
  scoreQuestion,
  type QuestionScores,
  ingestFiles,
  LocalEmbedder,
  LocalReranker,
  retrieveHybrid,
  retrievePassages,
} from "@sextant/core/rag";
import {
  percentile,
  REPO_ROOT,
  round,
  sotuDataDir,
  speechOf,
} from "@sextant/local";
import MiniSearch from "minisearch";
import { benchVectorRecall } from "./vector-recall.js";

interface Question {
  readonly question: string;
  readonly sources: readonly string[];
  /** The question set's name. */
  readonly set: string;
}

/** A file of evaluation questions: `[{ question, sources }]`, `sources` being speeches (`1823_james_monroe`). */
export interface QuestionSet {
  readonly name: string;
  readonly file: string;
}

/**
 * `sextant search --queries` in a fresh process over the store in `dataDir`, as a user (or an
 * evaluation) runs it: the median and the largest of the `ms` it prints, and the first query's.
 */
function cliSearch(dataDir: string, questions: readonly string[]) {
  const file = join(dataDir, "..", "questions.txt");
  writeFileSync(file, `${questions.join("\n")}\n`);
  const out = execFileSync(
    process.execPath,
    [
      join(REPO_ROOT, "packages", "cli", "lib", "main.js"),
      "search",
      "--queries",
      file,
      "--json",
      "--data-dir",
      dataDir,
    ],
    { encoding: "utf8", env: { ...process.env, DATABASE_URL: "" } },
  );
  const ms = out
    .trim()
    .split("\n")
    .map((line) => (JSON.parse(line) as { ms: number }).ms);
  return {
    queries: ms.length,
    medianMs: round(percentile(ms, 50)),
    firstMs: round(ms[0]),
    maxMs: round(Math.max(...ms)),
  };
}

/** Candidates the offline reranker reorders in the benchmark (docs/configuration.md's advice). */
const RERANK_CANDIDATES = 10;

/** MRR and nDCG@5 over the questions, by `sextant eval`'s own metric functions. */
const ranking = (scores: readonly QuestionScores[]) => {
  const { mrr, ndcg } = meanScores(scores);
  return { mrr: round(mrr, 3), ndcgAt5: round(ndcg, 3) };
};

/**
 * Ingests the State of the Union corpus into a scratch store, then answers the evaluation
 * questions with Sextant's hybrid retrieval and with MiniSearch (BM25) over the same chunks:
 * hit@5 at the level of the source speech (over all questions and per set), and per-query latency.
 */
export async function benchRetrieval(sets: readonly QuestionSet[]) {
  const questions: Question[] = sets.flatMap((s) =>
    (JSON.parse(readFileSync(s.file, "utf8")) as Omit<Question, "set">[]).map(
      (q) => ({ ...q, set: s.name }),
    ),
  );
  /** Whether a passage of the top 5 comes from a speech that answers the question. */
  const hit = (q: Question, sources: readonly string[]) =>
    sources.some((source) => q.sources.includes(speechOf(source)));
  const dir = mkdtempSync(join(tmpdir(), "sextant-bench-"));
  const store = await openDatabase(join(dir, "data"), "");
  let open = true;
  const close = async () => {
    if (open) await store.close();
    open = false;
  };
  try {
    const embedder = new LocalEmbedder();
    const ingest = await ingestFiles(store.db, embedder, [sotuDataDir()]);
    const reingest = await ingestFiles(store.db, embedder, [sotuDataDir()]);
    const stats = await corpusStats(store.db);

    // As the chat retrieves for a signed-in user: within the collections they read (here General,
    // granted to everyone, where every document of a store without collections is).
    const retrieval = {
      ...DEFAULT_INFERENCE_CONFIG.retrieval,
      k: 5,
      collections: await readableCollections(store.db, []),
    };
    const sextant = {
      hits: [] as Question[],
      ms: [] as number[],
      misses: [] as string[],
      scores: [] as QuestionScores[],
    };
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
      sextant.scores.push(scoreQuestion(results, q.sources, 5));
      const sources = results.map((r) => r.source);
      if (hit(q, sources)) sextant.hits.push(q);
      else sextant.misses.push(q.question);
    }

    // The same questions with the offline reranker over the search's first 10 candidates.
    const reranker = new LocalReranker();
    const reranked = {
      hits: [] as Question[],
      ms: [] as number[],
      rerankMs: [] as number[],
      scores: [] as QuestionScores[],
    };
    for (const q of questions) {
      const started = performance.now();
      const { passages, rerankMs } = await retrievePassages(
        { db: store.db, embedder, reranker },
        q.question,
        { ...retrieval, rerank: { candidates: RERANK_CANDIDATES } },
      );
      reranked.ms.push(performance.now() - started);
      reranked.rerankMs.push(rerankMs ?? 0);
      reranked.scores.push(scoreQuestion(passages, q.sources, 5));
      if (
        hit(
          q,
          passages.map((p) => p.source),
        )
      )
        reranked.hits.push(q);
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
    const bm25 = {
      hits: [] as Question[],
      ms: [] as number[],
      scores: [] as QuestionScores[],
    };
    for (const q of questions) {
      const started = performance.now();
      const sources = mini
        .search(q.question)
        .slice(0, 5)
        .map((r) => r.source as string);
      bm25.ms.push(performance.now() - started);
      bm25.scores.push(
        scoreQuestion(
          sources.map((source) => ({ title: "", source })),
          q.sources,
          5,
        ),
      );
      if (hit(q, sources)) bm25.hits.push(q);
    }

    const questionTexts = questions.map((q) => q.question);
    const vector = await benchVectorRecall(store.db, embedder, questionTexts);
    await close();
    const cli = {
      all: cliSearch(join(dir, "data"), questionTexts),
      setC: cliSearch(
        join(dir, "data"),
        questions.filter((q) => q.set === "C").map((q) => q.question),
      ),
    };
    return {
      corpus: {
        ...stats,
        ingestSeconds: ingest.seconds,
        reingestSeconds: reingest.seconds,
        reingestWrites: reingest.added + reingest.updated,
      },
      questions: questions.length,
      sets: sets.map(({ name }) => {
        const count = questions.filter((q) => q.set === name).length;
        const rate = (hits: Question[]) =>
          round(hits.filter((q) => q.set === name).length / count, 3);
        return {
          name,
          questions: count,
          sextantHitAt5: rate(sextant.hits),
          minisearchHitAt5: rate(bm25.hits),
        };
      }),
      sextant: {
        hitAt5: round(sextant.hits.length / questions.length, 3),
        ...ranking(sextant.scores),
        medianMs: round(percentile(sextant.ms, 50)),
        p95Ms: round(percentile(sextant.ms, 95)),
        misses: sextant.misses,
      },
      /** The same retrieval with the offline reranker (`retrieval.rerank`, local, 10 candidates). */
      reranked: {
        candidates: RERANK_CANDIDATES,
        hitAt5: round(reranked.hits.length / questions.length, 3),
        ...ranking(reranked.scores),
        medianMs: round(percentile(reranked.ms, 50)),
        p95Ms: round(percentile(reranked.ms, 95)),
        rerankMedianMs: round(percentile(reranked.rerankMs, 50), 2),
        rerankP95Ms: round(percentile(reranked.rerankMs, 95), 2),
      },
      minisearch: {
        indexSeconds: round(miniIndexSeconds, 2),
        hitAt5: round(bm25.hits.length / questions.length, 3),
        ...ranking(bm25.scores),
        medianMs: round(percentile(bm25.ms, 50)),
        p95Ms: round(percentile(bm25.ms, 95)),
      },
      /** `sextant search --queries` in a fresh process: all questions, and set C's 40 alone. */
      cli,
      vector,
    };
  } finally {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
}
