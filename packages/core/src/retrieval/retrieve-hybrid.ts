import { relatedStems } from "./related-words";
import { toVector, type Database } from "../db/database";
import type { Embedder } from "../embeddings/embedder";

/** Candidates of the full-text leg contain two of this many rarest words of the question… */
const RARE_TERMS = 4;
/** …or the rarest word alone, when it is in at most this many chunks (or is the only word). */
export const RAREST_ALONE_MAX_CHUNKS = 1000;
/** Neighbouring words of the question count as a phrase when at most this far apart (stop words between). */
const PHRASE_MAX_DISTANCE = 3;
/** Words related in meaning to the question's re-rank this many best passages of the full-text leg. */
const RELATED_RERANK = 100;

/** One retrieved passage. */
export interface RetrievedChunk {
  /** The ingested file's path. */
  readonly source: string;
  readonly title: string;
  readonly documentId: string;
  readonly chunkId: string;
  /** Weighted reciprocal-rank-fusion score (higher is better). */
  readonly score: number;
  readonly text: string;
  /** Whether the passage contains informative words of the query (it was found by the full-text leg). */
  readonly matchedTerms: boolean;
  /** Cosine similarity to the query, when the vector leg found it. */
  readonly similarity?: number;
}

/** A passage is relevant when it shares informative words with the query, or is close in meaning. */
export const isRelevant = (
  chunk: RetrievedChunk,
  minSimilarity = 0.5,
): boolean => chunk.matchedTerms || (chunk.similarity ?? 0) >= minSimilarity;

/** Which documents a search may return passages from. */
export interface RetrievalFilter {
  /** The document's source path starts with this (a folder, say). */
  readonly sourcePrefix?: string;
  /** The document's metadata contains these keys with these values. */
  readonly metadata?: Readonly<Record<string, string | number | boolean>>;
}

/** Retrieval settings (from the inference configuration's `retrieval`). */
export interface RetrievalOptions {
  readonly k: number;
  readonly vectorWeight: number;
  readonly textWeight: number;
  readonly rrfK: number;
  /** Drop passages whose fused score, relative to the best, is below this (0 keeps all). */
  readonly minScore?: number;
  /** Only passages of documents that match. @default - all documents */
  readonly filter?: RetrievalFilter;
  /**
   * Passages from one document beyond this many come after those of all other documents, so the
   * first k hold as many sources as there are, and a search of few documents still fills k.
   * @default 1
   */
  readonly maxPerDocument?: number;
  /** Candidates each leg contributes before fusion. @default max(50, 4k) */
  readonly candidates?: number;
  /** Weight of words related in meaning to the question's in the full-text leg, 0 (off) to 1. @default RELATED_WORD_WEIGHT */
  readonly relatedWordWeight?: number;
}

/**
 * Hybrid retrieval: the vector leg (HNSW, cosine) and the full-text leg (over the GIN-indexed
 * `tsvector`, stems plus proper nouns as written, so "Challenger" is not "challenges": candidates
 * hold two of the question's rarest words, or the rarest alone while it is rare; each
 * informative word present adds its inverse document frequency, twice in the document's title;
 * each word of the question absent or not, the best word related in meaning to it present adds a
 * share of its own, so "purchase" also finds "acquisition" ({@link relatedStems}); each pair of
 * neighbouring words found as in the question ("won the cold war") adds the mean of their IDFs;
 * quoted phrases and -exclusions are honoured) each rank candidates, fused by weighted
 * reciprocal-rank fusion.
 * One passage per document comes first ({@link RetrievalOptions.maxPerDocument}).
 */
export async function retrieveHybrid(
  db: Database,
  embedder: Embedder,
  query: string,
  options: RetrievalOptions,
): Promise<RetrievedChunk[]> {
  const [embedding] = await embedder.embed([query]);
  // Joined only when filtering: unfiltered, the vector leg is a plain HNSW index scan.
  const scope = (alias: string) =>
    options.filter ? `JOIN allowed ON allowed.id = ${alias}.document_id` : "";
  const candidates = options.candidates ?? Math.max(50, options.k * 4);
  const related = relatedStems(query, options.relatedWordWeight);
  const { rows } = await db.query<{
    id: string;
    document_id: string;
    source: string;
    title: string;
    content: string;
    score: number;
    matched_terms: boolean;
    similarity: number | null;
  }>(
    `WITH q AS (SELECT $1::vector AS v),
     allowed AS (
       SELECT id FROM documents
       WHERE ($10::text IS NULL OR starts_with(source, $10)) AND ($11::jsonb IS NULL OR metadata @> $11)
     ),
     -- The question's capitalised words the stemmer would fold ("Challenger") stand as written in
     -- place of their stem ("challeng"); the stem still counts in titles, often written in lower case.
     pn AS (
       SELECT p.word, (tsvector_to_array(to_tsvector('english', p.word)))[1] AS stem
       FROM unnest(tsvector_to_array(proper_nouns($2, true))) p(word)
     ),
     ql AS (
       SELECT word AS lexeme, stem AS title_stem FROM pn
       UNION
       SELECT e.lexeme, NULL FROM unnest(tsvector_to_array(to_tsvector('english', $2))) e(lexeme)
       WHERE e.lexeme NOT IN (SELECT stem FROM pn)
     ),
     -- The question's lexemes (weight 1) and the words related in meaning to them ("purchase":
     -- "acquisition"; weighted by similarity, only those not in the question, each with the word it
     -- stands in for), each with its weighted inverse document frequency; the most common ones (in
     -- over a quarter of all chunks, once there are enough chunks to tell) are left out.
     -- Materialized: computed once, not once per passage.
     terms AS MATERIALIZED (
       SELECT s.lexeme, s.ndoc, w.related, w.word, max(w.weight) * ln(1 + (t.chunks - s.ndoc + 0.5) / (s.ndoc + 0.5)) AS idf,
              (quote_literal(s.lexeme) || coalesce(' | ' || quote_literal(w.title_stem) || ':A', ''))::tsquery AS q,
              (quote_literal(s.lexeme) || ':A' || coalesce(' | ' || quote_literal(w.title_stem) || ':A', ''))::tsquery AS in_title
       FROM (SELECT lexeme, title_stem, 1::float8 AS weight, NULL AS word, false AS related FROM ql
             UNION ALL
             SELECT r.lexeme, NULL, r.weight, r.word, true FROM unnest($13::text[], $14::float8[], $16::text[]) r(lexeme, weight, word)
             WHERE r.lexeme NOT IN (SELECT lexeme FROM ql)) w
       JOIN lexeme_stats s ON s.lexeme = w.lexeme CROSS JOIN corpus_totals t
       WHERE t.chunks < 20 OR s.ndoc * 4 <= t.chunks
       GROUP BY s.lexeme, s.ndoc, t.chunks, w.related, w.title_stem, w.word
     ),
     qterms AS (SELECT *, row_number() OVER (ORDER BY ndoc, lexeme) AS rarity FROM terms WHERE NOT related),
     -- Related words re-rank candidates but do not make them.
     rterms AS (SELECT * FROM terms WHERE related),
     -- Neighbouring words of the question as a phrase, at their distance in the question (stop
     -- words between count), each pair with the mean inverse document frequency of its two words.
     pairs AS MATERIALIZED (
       SELECT (quote_literal(a.lexeme) || ' <' || (a.next_pos - a.pos) || '> ' || quote_literal(a.next_lexeme))::tsquery AS q,
              (ln(1 + (t.chunks - sa.ndoc + 0.5) / (sa.ndoc + 0.5)) + ln(1 + (t.chunks - sb.ndoc + 0.5) / (sb.ndoc + 0.5))) / 2 AS idf
       FROM (SELECT lexeme, pos, lead(lexeme) OVER (ORDER BY pos) AS next_lexeme, lead(pos) OVER (ORDER BY pos) AS next_pos
             FROM unnest(to_tsvector('english', $2)) e, unnest(e.positions) pos) a
       JOIN lexeme_stats sa ON sa.lexeme = a.lexeme JOIN lexeme_stats sb ON sb.lexeme = a.next_lexeme
       CROSS JOIN corpus_totals t
       WHERE a.next_pos - a.pos <= $17
     ),
     -- Candidates contain two of the rarest words of the question, or the rarest alone while it is
     -- rare enough (GIN index). A passage holding one common word of the question would rank low
     -- anyway, and at 100k chunks each common word is in thousands of them.
     tq AS (
       SELECT string_agg(clause, ' | ')::tsquery AS rare FROM (
         SELECT '(' || q::text || ')' AS clause FROM qterms
         WHERE rarity = 1 AND (ndoc <= $12 OR NOT EXISTS (SELECT FROM qterms WHERE rarity = 2))
         UNION ALL
         SELECT '(' || a.q::text || ') & (' || string_agg(b.q::text, ' | ') || ')'
         FROM qterms a JOIN qterms b ON a.rarity < b.rarity AND b.rarity <= $8
         GROUP BY a.lexeme, a.q
       ) clauses
     ),
     vec AS (
       SELECT c.id, c.distance, row_number() OVER () AS r
       FROM (SELECT ch.id, ch.embedding <=> (SELECT v FROM q) AS distance
             FROM chunks ch ${scope("ch")}
             ORDER BY ch.embedding <=> (SELECT v FROM q)
             LIMIT CASE WHEN $4::float8 > 0 THEN $3 ELSE 0 END) c
     ),
     -- Each informative word of the question present in the chunk adds its IDF, twice when it is
     -- in the document's title; then, for the best of them, each word of the question the weighted
     -- IDF of the best word related to it present, and each phrase of the question present its IDF.
     txt AS (
       SELECT id, row_number() OVER (ORDER BY score DESC) AS r
       FROM (
         SELECT best.id,
                best.score
                + coalesce((SELECT sum(related) FROM (
                              SELECT max(rt.idf * CASE WHEN best.tsv @@ rt.in_title THEN 2 ELSE 1 END) AS related
                              FROM rterms rt WHERE best.tsv @@ rt.q GROUP BY rt.word) r), 0)
                + coalesce((SELECT sum(p.idf) FROM pairs p WHERE best.tsv @@ p.q), 0) AS score
         FROM (
           SELECT c.id, c.tsv,
                  (SELECT sum(qt.idf * CASE WHEN c.tsv @@ qt.in_title THEN 2 ELSE 1 END) FROM qterms qt WHERE c.tsv @@ qt.q) AS score
           FROM chunks c ${scope("c")}
           WHERE $5::float8 > 0
             AND c.tsv @@ (SELECT rare FROM tq)
             -- Quoted phrases and -exclusions (web search syntax) must hold as written.
             AND ($2 !~ '(^|\s)-|"' OR c.tsv @@ websearch_to_tsquery('english', $2))
           ORDER BY score DESC
           LIMIT $15
         ) best
         ORDER BY score DESC
         LIMIT $3
       ) scored
     ),
     fused AS (
       SELECT coalesce(vec.id, txt.id) AS id, txt.id IS NOT NULL AS matched_terms, 1 - vec.distance AS similarity,
              coalesce($4::float8 / ($6 + vec.r), 0) + coalesce($5::float8 / ($6 + txt.r), 0) AS score
       FROM vec FULL JOIN txt ON vec.id = txt.id
     ),
     ranked AS (
       SELECT f.id, c.document_id, d.source, d.title, c.content, f.score, f.matched_terms, f.similarity,
              row_number() OVER (PARTITION BY c.document_id ORDER BY f.score DESC) AS nth_of_document
       FROM fused f JOIN chunks c ON c.id = f.id JOIN documents d ON d.id = c.document_id
     )
     -- Passages of a document beyond the first $9 after all others, so the answer sees several sources.
     SELECT id, document_id, source, title, content, score, matched_terms, similarity FROM ranked
     ORDER BY nth_of_document > $9, score DESC, id
     LIMIT $7`,
    [
      toVector(embedding),
      query,
      candidates,
      options.vectorWeight,
      options.textWeight,
      options.rrfK,
      options.k,
      RARE_TERMS,
      options.maxPerDocument ?? 1,
      options.filter?.sourcePrefix ?? null,
      options.filter?.metadata ? JSON.stringify(options.filter.metadata) : null,
      RAREST_ALONE_MAX_CHUNKS,
      related.stems,
      related.weights,
      Math.max(RELATED_RERANK, candidates),
      related.words,
      PHRASE_MAX_DISTANCE,
    ],
    // Prepared once per connection; the text differs with a filter, so does the name.
    { name: options.filter ? "retrieve_hybrid_filtered" : "retrieve_hybrid" },
  );
  const best = rows[0]?.score ?? 0;
  return rows
    .filter((r) => !options.minScore || r.score >= best * options.minScore)
    .map((r) => ({
      source: r.source,
      title: r.title,
      documentId: r.document_id,
      chunkId: r.id,
      score: Number(r.score),
      text: r.content,
      matchedTerms: r.matched_terms,
      similarity: r.similarity === null ? undefined : Number(r.similarity),
    }));
}
