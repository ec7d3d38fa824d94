import { toVector, type Database, type Embedder } from "@sextant/core/rag";
import { percentile, round } from "@sextant/local";

/**
 * The vector leg alone: the HNSW index (approximate) against an exact scan of every chunk (the
 * index disabled), on the same question embeddings: recall@10 of the index, and both latencies.
 */
export async function benchVectorRecall(
  db: Database,
  embedder: Embedder,
  questions: readonly string[],
) {
  const nearest = (exact: boolean, vector: string) =>
    db.transaction(async (tx) => {
      if (exact) await tx.query("SET LOCAL enable_indexscan = off");
      const started = performance.now();
      const { rows } = await tx.query<{ id: string }>(
        "SELECT id FROM chunks ORDER BY embedding <=> $1::vector LIMIT 10",
        [vector],
      );
      return { ids: rows.map((r) => r.id), ms: performance.now() - started };
    });
  const vectors = (await embedder.embed([...questions])).map(toVector);
  for (const v of vectors) await nearest(false, v); // warm the index pages
  const hnswMs: number[] = [];
  const exactMs: number[] = [];
  let found = 0;
  for (const v of vectors) {
    const approximate = await nearest(false, v);
    const exact = await nearest(true, v);
    hnswMs.push(approximate.ms);
    exactMs.push(exact.ms);
    found += approximate.ids.filter((id) => exact.ids.includes(id)).length;
  }
  return {
    queries: vectors.length,
    recallAt10: round(found / (10 * vectors.length), 3),
    hnsw: {
      p50Ms: round(percentile(hnswMs, 50)),
      p95Ms: round(percentile(hnswMs, 95)),
    },
    exact: {
      p50Ms: round(percentile(exactMs, 50)),
      p95Ms: round(percentile(exactMs, 95)),
    },
  };
}
