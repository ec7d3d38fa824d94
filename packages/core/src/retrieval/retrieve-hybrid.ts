import { toVector, type Database } from "../db/database";
import type { Embedder } from "../embeddings/embedder";

/** One retrieved passage. */
export interface RetrievedChunk {
  /** The ingested file's path. */
  readonly source: string;
  readonly title: string;
  readonly chunkId: string;
  /** Weighted reciprocal-rank-fusion score (higher is better). */
  readonly score: number;
  readonly text: string;
}

/** Retrieval settings (from the inference configuration's `retrieval`). */
export interface RetrievalOptions {
  readonly k: number;
  readonly vectorWeight: number;
  readonly textWeight: number;
  readonly rrfK: number;
  /** Drop passages whose fused score, relative to the best, is below this (0 keeps all). */
  readonly minScore?: number;
  /** Candidates each leg contributes before fusion. @default max(50, 4k) */
  readonly candidates?: number;
}

/**
 * Hybrid retrieval: the vector leg (HNSW, cosine) and the full-text leg (`websearch_to_tsquery`
 * with OR between words, ranked by `ts_rank_cd` with length normalisation; the document title
 * weighs most) each rank candidates, fused by weighted reciprocal-rank fusion.
 */
export async function retrieveHybrid(
  db: Database,
  embedder: Embedder,
  query: string,
  options: RetrievalOptions,
): Promise<RetrievedChunk[]> {
  const [embedding] = await embedder.embed([query]);
  const candidates = options.candidates ?? Math.max(50, options.k * 4);
  const { rows } = await db.query<{ id: string; source: string; title: string; content: string; score: number }>(
    `WITH q AS (
       SELECT $1::vector AS v,
              -- Natural-language questions: any word may match (OR), phrases and -exclusions still work.
              CASE WHEN $2 ~ '(^|\\s)-|"' THEN websearch_to_tsquery('english', $2)
                   ELSE replace(websearch_to_tsquery('english', $2)::text, ' & ', ' | ')::tsquery END AS tq
     ),
     vec AS (
       SELECT c.id, row_number() OVER () AS r
       FROM (SELECT id FROM chunks ORDER BY embedding <=> (SELECT v FROM q)
             LIMIT CASE WHEN $4::float8 > 0 THEN $3 ELSE 0 END) c
     ),
     txt AS (
       SELECT id, row_number() OVER (ORDER BY rank DESC) AS r
       FROM (SELECT id, ts_rank_cd(tsv, (SELECT tq FROM q), 1) AS rank
             FROM chunks WHERE tsv @@ (SELECT tq FROM q)
             ORDER BY rank DESC LIMIT CASE WHEN $5::float8 > 0 THEN $3 ELSE 0 END) t
     ),
     fused AS (
       SELECT coalesce(vec.id, txt.id) AS id,
              coalesce($4::float8 / ($6 + vec.r), 0) + coalesce($5::float8 / ($6 + txt.r), 0) AS score
       FROM vec FULL JOIN txt ON vec.id = txt.id
     )
     SELECT f.id, d.source, d.title, c.content, f.score
     FROM fused f JOIN chunks c ON c.id = f.id JOIN documents d ON d.id = c.document_id
     ORDER BY f.score DESC, f.id
     LIMIT $7`,
    [toVector(embedding), query, candidates, options.vectorWeight, options.textWeight, options.rrfK, options.k],
  );
  const best = rows[0]?.score ?? 0;
  return rows
    .filter((r) => !options.minScore || r.score >= best * options.minScore)
    .map((r) => ({ source: r.source, title: r.title, chunkId: r.id, score: Number(r.score), text: r.content }));
}
