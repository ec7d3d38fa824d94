import { relatedStems } from "./related-words";
import { toVector, type Database } from "../db/database";
import { withNamedParameters } from "../db/named-parameters";
import type { Embedder } from "../embeddings/embedder";
import type { PassageLocation } from "../ingest/location";

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
  /** What the document goes by: its folder and file name, or its S3 key. */
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
  /** The reranker's relevance score, when one reordered the passages. */
  readonly rerankScore?: number;
  /** Where the passage sits in its document (page, slide, rows, headings). */
  readonly location?: PassageLocation;
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

/**
 * Candidates of the vector leg within the caller's collections, at the least. The HNSW scan checks
 * the collection of each passage it visits and goes on until it has enough (pgvector's iterative
 * scan), so its cost grows with candidates ÷ the readable share: for a user who reads 8.8% of a
 * 100,000-passage store, 50 candidates took 65 ms and 20 took 27, with the same hit@5 (0.955 on
 * 22 questions; docs/benchmarks.md). Unfiltered, the vector leg keeps `candidates`.
 */
export const READABLE_VECTOR_CANDIDATES = 20;

/** Retrieval settings (from the inference configuration's `retrieval`). */
export interface RetrievalOptions {
  readonly k: number;
  /**
   * Passages returned, when more than `k` (a reranker's candidates); each leg still gathers
   * candidates for `k`, so the first `k` are those a search for `k` returns. @default k
   */
  readonly limit?: number;
  readonly vectorWeight: number;
  readonly textWeight: number;
  readonly rrfK: number;
  /** Drop passages whose fused score, relative to the best, is below this (0 keeps all). */
  readonly minScore?: number;
  /** Only passages of documents that match. @default - all documents */
  readonly filter?: RetrievalFilter;
  /**
   * The collections whose passages may be returned: the caller's readable ones
   * (`readableCollections`), filtered inside both legs before anything is ranked; none, no
   * passages. `"all"` only for tools that read the store directly (the CLI, benchmarks).
   */
  readonly collections: readonly string[] | "all";
  /**
   * Passages from one document beyond this many come after those of all other documents, so the
   * first k hold as many sources as there are, and a search of few documents still fills k.
   * @default 1
   */
  readonly maxPerDocument?: number;
  /**
   * Candidates each leg contributes before fusion. @default max(50, 4k); the vector leg within
   * collections, 4k (see {@link READABLE_VECTOR_CANDIDATES})
   */
  readonly candidates?: number;
  /** Weight of words related in meaning to the question's in the full-text leg, 0 (off) to 1. @default RELATED_WORD_WEIGHT */
  readonly relatedWordWeight?: number;
}

/**
 * The retrieval statement, one common table expression per step, in order; each names what it
 * reads (earlier fragments, named parameters). `retrievalStatement(upTo)` composes them, and a
 * test can run any prefix and read a fragment's rows.
 */
export const RETRIEVAL_FRAGMENTS = {
  /** The query's embedding. */
  q: `SELECT :embedding::vector AS v`,
  /** The documents a search may read (every one unless filtered by source prefix or metadata). */
  allowed: `SELECT id FROM documents
       WHERE (:sourcePrefix::text IS NULL OR starts_with(source, :sourcePrefix)) AND (:metadata::jsonb IS NULL OR metadata @> :metadata)`,
  /**
   * The question's capitalised words the stemmer would fold ("Challenger"), with their stem
   * ("challeng"): the word stands as written, the stem still counts in titles (often lower case).
   */
  pn: `SELECT p.word, (tsvector_to_array(to_tsvector('english', p.word)))[1] AS stem
       FROM unnest(tsvector_to_array(proper_nouns(:queryText, true))) p(word)`,
  /** The question's lexemes: proper nouns as written, other words stemmed. */
  ql: `SELECT word AS lexeme, stem AS title_stem FROM pn
       UNION
       SELECT e.lexeme, NULL FROM unnest(tsvector_to_array(to_tsvector('english', :queryText))) e(lexeme)
       WHERE e.lexeme NOT IN (SELECT stem FROM pn)`,
  /**
   * The question's lexemes (weight 1) and the words related in meaning to them ("purchase":
   * "acquisition"; weighted by similarity, only those not in the question, each with the word it
   * stands in for), each with its weighted inverse document frequency; the most common ones (in
   * over a quarter of all chunks, once there are enough chunks to tell) are left out.
   * Materialized: computed once, not once per passage.
   */
  terms: `SELECT s.lexeme, s.ndoc, w.related, w.word, max(w.weight) * ln(1 + (t.chunks - s.ndoc + 0.5) / (s.ndoc + 0.5)) AS idf,
              (quote_literal(s.lexeme) || coalesce(' | ' || quote_literal(w.title_stem) || ':A', ''))::tsquery AS q,
              (quote_literal(s.lexeme) || ':A' || coalesce(' | ' || quote_literal(w.title_stem) || ':A', ''))::tsquery AS in_title
       FROM (SELECT lexeme, title_stem, 1::float8 AS weight, NULL AS word, false AS related FROM ql
             UNION ALL
             SELECT r.lexeme, NULL, r.weight, r.word, true FROM unnest(:relatedStems::text[], :relatedWeights::float8[], :relatedWords::text[]) r(lexeme, weight, word)
             WHERE r.lexeme NOT IN (SELECT lexeme FROM ql)) w
       JOIN lexeme_stats s ON s.lexeme = w.lexeme CROSS JOIN corpus_totals t
       WHERE t.chunks < 20 OR s.ndoc * 4 <= t.chunks
       GROUP BY s.lexeme, s.ndoc, t.chunks, w.related, w.title_stem, w.word`,
  /** The question's own terms, rarest first. */
  qterms: `SELECT *, row_number() OVER (ORDER BY ndoc, lexeme) AS rarity FROM terms WHERE NOT related`,
  /** Related words: they re-rank candidates but do not make them. */
  rterms: `SELECT * FROM terms WHERE related`,
  /**
   * Neighbouring words of the question as a phrase, at their distance in the question (stop words
   * between count), each pair with the mean inverse document frequency of its two words.
   */
  pairs: `SELECT (quote_literal(a.lexeme) || ' <' || (a.next_pos - a.pos) || '> ' || quote_literal(a.next_lexeme))::tsquery AS q,
              (ln(1 + (t.chunks - sa.ndoc + 0.5) / (sa.ndoc + 0.5)) + ln(1 + (t.chunks - sb.ndoc + 0.5) / (sb.ndoc + 0.5))) / 2 AS idf
       FROM (SELECT lexeme, pos, lead(lexeme) OVER (ORDER BY pos) AS next_lexeme, lead(pos) OVER (ORDER BY pos) AS next_pos
             FROM unnest(to_tsvector('english', :queryText)) e, unnest(e.positions) pos) a
       JOIN lexeme_stats sa ON sa.lexeme = a.lexeme JOIN lexeme_stats sb ON sb.lexeme = a.next_lexeme
       CROSS JOIN corpus_totals t
       WHERE a.next_pos - a.pos <= :phraseMaxDistance`,
  /**
   * The full-text leg's candidate query: two of the rarest words of the question, or the rarest
   * alone while it is rare enough (GIN index). A passage holding one common word of the question
   * would rank low anyway, and at 100k chunks each common word is in thousands of them.
   */
  tq: `SELECT string_agg(clause, ' | ')::tsquery AS rare FROM (
         SELECT '(' || q::text || ')' AS clause FROM qterms
         WHERE rarity = 1 AND (ndoc <= :rarestAloneMaxChunks OR NOT EXISTS (SELECT FROM qterms WHERE rarity = 2))
         UNION ALL
         SELECT '(' || a.q::text || ') & (' || string_agg(b.q::text, ' | ') || ')'
         FROM qterms a JOIN qterms b ON a.rarity < b.rarity AND b.rarity <= :rareTerms
         GROUP BY a.lexeme, a.q
       ) clauses`,
  /** The vector leg: nearest passages by cosine distance (HNSW), ranked. */
  vec: `SELECT c.id, c.distance, row_number() OVER () AS r
       FROM (SELECT ch.id, ch.embedding <=> (SELECT v FROM q) AS distance
             FROM chunks ch /*scope:ch*/
             WHERE true /*readable:ch*/
             ORDER BY ch.embedding <=> (SELECT v FROM q)
             LIMIT CASE WHEN :vectorWeight::float8 > 0 THEN :vectorCandidates ELSE 0 END) c`,
  /**
   * The full-text leg, ranked: each informative word of the question present in the chunk adds
   * its IDF, twice when it is in the document's title; then, for the best of them, each word of
   * the question the weighted IDF of the best word related to it present, and each phrase of the
   * question present its IDF. Quoted phrases and -exclusions (web search syntax) hold as written.
   */
  txt: `SELECT id, row_number() OVER (ORDER BY score DESC) AS r
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
           FROM chunks c /*scope:c*/
           WHERE :textWeight::float8 > 0 /*readable:c*/
             AND c.tsv @@ (SELECT rare FROM tq)
             AND (:queryText !~ '(^|\\s)-|"' OR c.tsv @@ websearch_to_tsquery('english', :queryText))
           ORDER BY score DESC
           LIMIT :relatedRerank
         ) best
         ORDER BY score DESC
         LIMIT :candidates
       ) scored`,
  /** Both legs fused by weighted reciprocal-rank fusion. */
  fused: `SELECT coalesce(vec.id, txt.id) AS id, txt.id IS NOT NULL AS matched_terms, 1 - vec.distance AS similarity,
              coalesce(:vectorWeight::float8 / (:rrfK + vec.r), 0) + coalesce(:textWeight::float8 / (:rrfK + txt.r), 0) AS score
       FROM vec FULL JOIN txt ON vec.id = txt.id`,
  /** Fused passages with their documents, numbered within each document by score. */
  ranked: `SELECT f.id, c.document_id, d.source, d.title, c.content, c.location, f.score, f.matched_terms, f.similarity,
              row_number() OVER (PARTITION BY c.document_id ORDER BY f.score DESC) AS nth_of_document
       FROM fused f JOIN chunks c ON c.id = f.id JOIN documents d ON d.id = c.document_id`,
} as const;

/** One step of the retrieval statement. */
export type RetrievalFragment = keyof typeof RETRIEVAL_FRAGMENTS;
const MATERIALIZED: ReadonlySet<RetrievalFragment> = new Set([
  "terms",
  "pairs",
]);

/**
 * The retrieval statement up to `upTo`, selecting that fragment's rows (for tests), or, by
 * default, the whole statement: passages of a document beyond the first `:maxPerDocument` come
 * after all others, so the answer sees several sources.
 */
export function retrievalStatement(
  options: {
    readonly filtered: boolean;
    /** Only the collections in `:collections` (every question through the API). */
    readonly readable: boolean;
  },
  upTo?: RetrievalFragment,
): string {
  const names = Object.keys(RETRIEVAL_FRAGMENTS) as RetrievalFragment[];
  const included = upTo ? names.slice(0, names.indexOf(upTo) + 1) : names;
  // Joined only when filtering: unfiltered, the vector leg is a plain HNSW index scan. The
  // collections are a condition on the chunk itself, which the HNSW scan applies as it goes
  // (pgvector's iterative scan keeps going until it has enough: see connect-postgres.ts).
  const scoped = (sql: string) =>
    sql
      .replace(/\/\*scope:(\w+)\*\//g, (_, alias: string) =>
        options.filtered
          ? `JOIN allowed ON allowed.id = ${alias}.document_id`
          : "",
      )
      .replace(/\/\*readable:(\w+)\*\//g, (_, alias: string) =>
        options.readable
          ? `AND ${alias}.collection_id = ANY(:collections::uuid[])`
          : "",
      );
  const ctes = included
    .filter((name) => options.filtered || name !== "allowed")
    .map(
      (name) =>
        `${name} AS ${MATERIALIZED.has(name) ? "MATERIALIZED " : ""}(\n       ${scoped(RETRIEVAL_FRAGMENTS[name])}\n     )`,
    );
  const select = upTo
    ? `SELECT * FROM ${upTo}`
    : `SELECT id, document_id, source, title, content, location, score, matched_terms, similarity FROM ranked
     ORDER BY nth_of_document > :maxPerDocument, score DESC, id
     LIMIT :limit`;
  return `WITH ${ctes.join(",\n     ")}\n     ${select}`;
}

/** The values of the statement's named parameters for a query. */
export function retrievalParameters(
  embedding: readonly number[],
  query: string,
  options: RetrievalOptions,
): Record<string, unknown> {
  const candidates = options.candidates ?? Math.max(50, options.k * 4);
  const vectorCandidates =
    options.candidates ??
    (options.collections === "all"
      ? candidates
      : Math.max(READABLE_VECTOR_CANDIDATES, options.k * 4));
  const related = relatedStems(query, options.relatedWordWeight);
  return {
    embedding: toVector(embedding),
    queryText: query,
    candidates,
    vectorCandidates,
    vectorWeight: options.vectorWeight,
    textWeight: options.textWeight,
    rrfK: options.rrfK,
    limit: Math.max(options.k, options.limit ?? 0),
    rareTerms: RARE_TERMS,
    maxPerDocument: options.maxPerDocument ?? 1,
    ...(options.collections === "all"
      ? {}
      : { collections: [...options.collections] }),
    ...(options.filter
      ? {
          sourcePrefix: options.filter.sourcePrefix ?? null,
          metadata: options.filter.metadata
            ? JSON.stringify(options.filter.metadata)
            : null,
        }
      : {}),
    rarestAloneMaxChunks: RAREST_ALONE_MAX_CHUNKS,
    relatedStems: related.stems,
    relatedWeights: related.weights,
    relatedRerank: Math.max(RELATED_RERANK, candidates),
    relatedWords: related.words,
    phraseMaxDistance: PHRASE_MAX_DISTANCE,
  };
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
  const filtered = Boolean(options.filter);
  const readable = options.collections !== "all";
  const { text, values } = withNamedParameters(
    retrievalStatement({ filtered, readable }),
    retrievalParameters(embedding, query, options),
  );
  const { rows } = await db.query<{
    id: string;
    document_id: string;
    source: string;
    title: string;
    content: string;
    location: PassageLocation | null;
    score: number;
    matched_terms: boolean;
    similarity: number | null;
  }>(
    text,
    values,
    // Prepared once per connection; the text differs with a filter, so does the name.
    {
      name: `retrieve_hybrid${filtered ? "_filtered" : ""}${readable ? "_readable" : ""}`,
    },
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
      ...(r.location ? { location: r.location } : {}),
    }));
}
