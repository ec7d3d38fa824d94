import type { Database } from "./database";
import { DEFAULT_ASSISTANT_ID, GENERAL_COLLECTION_ID } from "../well-known-ids";

/** The embedding size the schema stores; the offline embedder produces it too. */
export const EMBEDDING_DIMENSIONS = 384;

/**
 * How each database session scans the vector index: retrieval filters on the caller's collections
 * inside the HNSW scan, and pgvector's iterative scan (0.8.0 and later; Aurora PostgreSQL 17 ships
 * it, https://docs.aws.amazon.com/AmazonRDS/latest/AuroraPostgreSQLReleaseNotes/AuroraPostgreSQL.Extensions.html)
 * keeps scanning until enough rows pass the filter, in exact distance order, instead of returning
 * the few of its first 40 candidates that do (https://github.com/pgvector/pgvector#iterative-index-scans).
 */
export const VECTOR_SESSION_SETTINGS = "SET hnsw.iterative_scan = strict_order";

export { DEFAULT_ASSISTANT_ID, GENERAL_COLLECTION_ID };

/**
 * The schema, as ordered migrations. Applied once each, in a transaction, recorded in
 * `schema_migrations`; never edit one that has shipped — add the next.
 */
export const MIGRATIONS: readonly {
  readonly id: string;
  readonly sql: string;
  /** Run once the migration has committed, outside any transaction (VACUUM cannot run inside one). */
  readonly after?: string;
}[] = [
  {
    id: "0001_initial",
    sql: `
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE documents (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source        text NOT NULL UNIQUE,
  title         text NOT NULL,
  content_hash  text NOT NULL,
  metadata      jsonb NOT NULL DEFAULT '{}',
  status        text NOT NULL DEFAULT 'ready' CHECK (status IN ('pending', 'ready', 'failed')),
  error         text,
  chunk_count   integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE chunks (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  document_id   uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  ordinal       integer NOT NULL,
  content       text NOT NULL,
  content_hash  text NOT NULL,
  embedding     vector(${EMBEDDING_DIMENSIONS}) NOT NULL,
  -- The document's title (president, year…) counts, weighted above the body.
  tsv           tsvector NOT NULL,
  UNIQUE (document_id, ordinal)
);
CREATE INDEX chunks_tsv_gin ON chunks USING gin (tsv);
CREATE INDEX chunks_document ON chunks (document_id);

CREATE TABLE chat_sessions (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner       text NOT NULL,
  title       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_sessions_owner ON chat_sessions (owner, updated_at DESC);

CREATE TABLE messages (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id  uuid NOT NULL REFERENCES chat_sessions (id) ON DELETE CASCADE,
  seq         bigint GENERATED ALWAYS AS IDENTITY,
  role        text NOT NULL CHECK (role IN ('user', 'assistant')),
  content     text NOT NULL,
  sources     jsonb NOT NULL DEFAULT '[]',
  latency_ms  jsonb NOT NULL DEFAULT '{}',
  usage       jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_session ON messages (session_id, seq);

CREATE TABLE feedback (
  message_id  uuid PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
  owner       text NOT NULL,
  rating      text NOT NULL CHECK (rating IN ('up', 'down')),
  comment     text,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE inference_config_versions (
  version     integer PRIMARY KEY,
  config      jsonb NOT NULL,
  author      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor       text NOT NULL,
  action      text NOT NULL,
  target      text,
  detail      jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    id: "0002_lexeme_stats",
    sql: `
-- Document frequencies for BM25-style ranking: Postgres's own ts_rank has no inverse document
-- frequency, so common words would outrank the rare ones that identify a passage.
CREATE TABLE lexeme_stats (
  lexeme  text PRIMARY KEY,
  ndoc    integer NOT NULL
);
CREATE TABLE corpus_totals (
  id      boolean PRIMARY KEY DEFAULT true CHECK (id),
  chunks  integer NOT NULL
);
`,
  },
  {
    id: "0003_tsv_inline",
    sql: `
-- Keep each chunk's tsvector in the row (compressed if need be) rather than TOASTed out of line:
-- ranking reads it once per word of the question, and de-TOASTing it each time doubled the
-- latency of the full-text leg (docs/benchmarks.md).
ALTER TABLE chunks ALTER COLUMN tsv SET STORAGE MAIN;
`,
  },
  {
    id: "0004_proper_nouns",
    sql: `
-- Capitalised words the English stemmer would fold into common ones ("Challenger" into
-- "challeng", with "challenges"; "France" into "franc"), kept as written, as lexemes of their own:
-- the stemmer lowercases every lexeme it makes, so a capitalised one never collides with them.
-- Indexed with each chunk and looked up for the question's words alike; in a question, only words
-- within a sentence count ("Taxes: what did he say?" is about taxes, not a proper noun).
CREATE FUNCTION proper_nouns(body text, within_sentence boolean DEFAULT false) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  -- Position 1 (weight D) like any word of the text: a lexeme without positions matches ':A' too.
  SELECT coalesce(string_agg(quote_literal(word) || ':1', ' ')::tsvector, ''::tsvector)
  FROM (SELECT DISTINCT m[1] AS word
        FROM regexp_matches(body, CASE WHEN within_sentence THEN '(?<=[[:alnum:],;] )([A-Z][a-z]+)\\M'
                                       ELSE '\\m([A-Z][a-z]+)\\M' END, 'g') m) w
  WHERE tsvector_to_array(to_tsvector('english', word)) NOT IN ('{}', ARRAY[lower(word)])
$fn$;
-- A chunk's full-text vector: its document's title (weight A) and its text, stemmed, with the
-- proper nouns of both. The one definition ingestion, this migration and the tests use.
CREATE FUNCTION chunk_tsv(title text, content text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT setweight(to_tsvector('english', title) || proper_nouns(title), 'A')
         || to_tsvector('english', content) || proper_nouns(content)
$fn$;
-- Rewriting every chunk puts a new version of each into every index: build both indexes once
-- afterwards instead (migrate() ensures the vector index), as a bulk load does.
DROP INDEX IF EXISTS chunks_embedding_hnsw;
DROP INDEX chunks_tsv_gin;
UPDATE chunks c SET tsv = chunk_tsv(d.title, c.content) FROM documents d WHERE d.id = c.document_id;
CREATE INDEX chunks_tsv_gin ON chunks USING gin (tsv);
-- The ranking statistics with the new lexemes (on AWS no application code migrates: this runs
-- through the Data API at deployment).
DELETE FROM lexeme_stats;
INSERT INTO lexeme_stats (lexeme, ndoc) SELECT word, ndoc FROM ts_stat('SELECT tsv FROM chunks');
`,
    // Every chunk was rewritten: without it, the dead versions slowed the full-text leg by half
    // (12,904 chunks, embedded Postgres, which has no autovacuum).
    after: "VACUUM ANALYZE chunks, lexeme_stats",
  },
  {
    id: "0005_message_idempotency_key",
    sql: `
-- The client's Idempotency-Key of the request that stored a question and its answer: a retry with
-- the same key gets the stored pair instead of a second one. Both rows carry it; one question per
-- key and session. A nullable column without a default is a catalogue change, instant at any size.
ALTER TABLE messages ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX messages_idempotency_key ON messages (session_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL AND role = 'user';
`,
  },
  {
    id: "0006_user_access",
    sql: `
-- Whether a user may use the API, and whether they administer it, as the user-administration
-- operations last set it. An access token outlives a disable or a demotion until it expires (API
-- Gateway's authorizer checks signature and expiry only); every request checks this record.
CREATE TABLE user_access (
  username text PRIMARY KEY,
  enabled boolean NOT NULL,
  administrator boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    id: "0007_collections",
    sql: `
-- Collections: named sets of documents, each readable by the Cognito groups it grants, or by
-- everyone signed in when it says so (an explicit grant, never a default). Every document is in
-- exactly one; what a store held before is in "General", granted to everyone, as before.
CREATE TABLE collections (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
  read_groups  text[] NOT NULL DEFAULT '{}',
  everyone     boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
INSERT INTO collections (id, name, everyone) VALUES ('${GENERAL_COLLECTION_ID}', 'General', true);
ALTER TABLE documents ADD COLUMN collection_id uuid NOT NULL DEFAULT '${GENERAL_COLLECTION_ID}' REFERENCES collections (id);
-- Each chunk carries its document's collection, so retrieval filters on the chunk itself, in the
-- index scans of both legs, before anything is ranked.
ALTER TABLE chunks ADD COLUMN collection_id uuid;
UPDATE chunks c SET collection_id = d.collection_id FROM documents d WHERE d.id = c.document_id;
ALTER TABLE chunks ALTER COLUMN collection_id SET NOT NULL;
CREATE INDEX chunks_collection ON chunks (collection_id);
CREATE INDEX documents_collection ON documents (collection_id);
-- A chunk is always in its document's collection, whoever writes it; a document moved to another
-- collection takes all its chunks along, in the same transaction.
CREATE FUNCTION chunk_in_document_collection() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN NEW.collection_id := (SELECT collection_id FROM documents WHERE id = NEW.document_id); RETURN NEW; END $fn$;
CREATE TRIGGER chunks_collection BEFORE INSERT OR UPDATE OF document_id, collection_id ON chunks
  FOR EACH ROW WHEN (pg_trigger_depth() = 0)
  EXECUTE FUNCTION chunk_in_document_collection();
CREATE FUNCTION move_chunks_with_document() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN UPDATE chunks SET collection_id = NEW.collection_id WHERE document_id = NEW.id; RETURN NULL; END $fn$;
CREATE TRIGGER documents_collection_moved AFTER UPDATE OF collection_id ON documents
  FOR EACH ROW WHEN (OLD.collection_id IS DISTINCT FROM NEW.collection_id)
  EXECUTE FUNCTION move_chunks_with_document();
`,
    after: "VACUUM ANALYZE chunks, documents",
  },
  {
    id: "0008_assistants",
    sql: `
-- Assistants: a named, versioned inference configuration, the collections it searches (or every
-- collection its user can read) and who may use it. The one configuration of a store before
-- assistants becomes "Default", used by everyone over every readable collection, its history kept
-- as Default's versions (version 0, the built-in defaults, stays implicit).
CREATE TABLE assistants (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name             text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
  description      text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
  collection_ids   uuid[] NOT NULL DEFAULT '{}',
  all_collections  boolean NOT NULL DEFAULT false,
  use_groups       text[] NOT NULL DEFAULT '{}',
  everyone         boolean NOT NULL DEFAULT false,
  version          integer NOT NULL DEFAULT 0,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
INSERT INTO assistants (id, name, description, all_collections, everyone, version)
  SELECT '${DEFAULT_ASSISTANT_ID}', 'Default', 'Answers from every collection you can read.', true, true,
         coalesce((SELECT max(version) FROM inference_config_versions), 0);
ALTER TABLE inference_config_versions RENAME TO assistant_versions;
ALTER TABLE assistant_versions ADD COLUMN assistant_id uuid NOT NULL DEFAULT '${DEFAULT_ASSISTANT_ID}' REFERENCES assistants (id) ON DELETE CASCADE;
ALTER TABLE assistant_versions ALTER COLUMN assistant_id DROP DEFAULT;
-- What the assistant was at that version besides its configuration (name, collections, groups).
ALTER TABLE assistant_versions ADD COLUMN settings jsonb;
UPDATE assistant_versions SET settings = jsonb_build_object('name', 'Default', 'description', 'Answers from every collection you can read.',
  'collectionIds', '[]'::jsonb, 'allCollections', true, 'groups', '[]'::jsonb, 'everyone', true);
ALTER TABLE assistant_versions ALTER COLUMN settings SET NOT NULL;
ALTER TABLE assistant_versions DROP CONSTRAINT inference_config_versions_pkey;
ALTER TABLE assistant_versions ADD PRIMARY KEY (assistant_id, version);
-- A conversation stays with the assistant it was started with.
ALTER TABLE chat_sessions ADD COLUMN assistant_id uuid NOT NULL DEFAULT '${DEFAULT_ASSISTANT_ID}' REFERENCES assistants (id);
-- The groups the user-administration operations last set: a group left counts from the next
-- request, whatever the token still says (null: no record, the token's word stands).
ALTER TABLE user_access ADD COLUMN groups text[];
`,
  },
  {
    id: "0009_evaluation_sets",
    sql: `
-- Evaluation sets: questions with the sources (and facts) a good answer draws on, kept by name,
-- imported and exported as JSONL (packages/core/src/evaluation/evaluation-set.ts).
CREATE TABLE evaluation_sets (
  name        text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 100),
  questions   jsonb NOT NULL,
  updated_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
`,
  },
  {
    id: "0010_evaluation_runs",
    sql: `
-- Evaluation runs: a set against an assistant's current version and a draft, side by side, in
-- slices; each question's results stored as they come, so a run survives a restart
-- (packages/core/src/evaluation/evaluation-runs.ts).
CREATE TABLE evaluation_runs (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  assistant_id     uuid NOT NULL REFERENCES assistants(id) ON DELETE CASCADE,
  set_name         text NOT NULL,
  questions        jsonb NOT NULL,
  collections      uuid[] NOT NULL,
  base_version     integer NOT NULL,
  current_config   jsonb NOT NULL,
  draft_config     jsonb,
  draft_hash       text,
  cutoff           integer NOT NULL,
  status           text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
  done             integer NOT NULL DEFAULT 0,
  current_results  jsonb NOT NULL DEFAULT '[]',
  draft_results    jsonb NOT NULL DEFAULT '[]',
  error            text,
  lease_until      timestamptz,
  created_by       text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
-- Each configuration version's figures per set, for the version history.
CREATE TABLE evaluation_scores (
  assistant_id  uuid NOT NULL REFERENCES assistants(id) ON DELETE CASCADE,
  version       integer NOT NULL,
  set_name      text NOT NULL,
  k             integer NOT NULL,
  hit_at_k      double precision NOT NULL,
  mrr           double precision NOT NULL,
  ndcg          double precision NOT NULL,
  run_id        uuid NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (assistant_id, version, set_name)
);
`,
  },
  {
    id: "0011_usage_and_quotas",
    sql: `
-- Usage metering: one row per model call (packages/core/src/usage/metering.ts), with its estimated
-- cost from the model price table (NULL: the model is not priced).
CREATE TABLE usage_events (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  username       text NOT NULL,
  groups         text[] NOT NULL DEFAULT '{}',
  assistant_id   uuid,
  message_id     uuid,
  step           text NOT NULL,
  provider       text NOT NULL,
  model          text NOT NULL,
  input_tokens   integer NOT NULL CHECK (input_tokens >= 0),
  output_tokens  integer NOT NULL CHECK (output_tokens >= 0),
  cost_usd       double precision,
  latency_ms     integer
);
CREATE INDEX usage_events_user_at ON usage_events (username, at);
CREATE INDEX usage_events_at ON usage_events (at);
-- The quotas administrators set, versioned like the configuration (usage/quotas.ts).
CREATE TABLE quota_versions (
  version     integer PRIMARY KEY,
  quotas      jsonb NOT NULL,
  author      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
-- Each question let through the quota check: a message of its day from then on, in flight until
-- answered (a failed question's row is deleted; one in flight for 5 minutes counts no more).
CREATE TABLE quota_admissions (
  id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username  text NOT NULL,
  at        timestamptz NOT NULL DEFAULT now(),
  finished  boolean NOT NULL DEFAULT false
);
CREATE INDEX quota_admissions_user_at ON quota_admissions (username, at);
`,
  },
  {
    id: "0012_usage_counters",
    sql: `
-- The quota check in one statement (usage/quotas.ts): each user's counters per UTC day, checked
-- and incremented under the row's lock, and the month's estimated cost for the budget, instead
-- of counting admissions and usage rows at every question.
DROP TABLE quota_admissions;
CREATE TABLE usage_counters (
  username      text NOT NULL,
  day           date NOT NULL,
  messages      integer NOT NULL DEFAULT 0,
  answered      integer NOT NULL DEFAULT 0,
  tokens        bigint NOT NULL DEFAULT 0,
  in_flight     integer NOT NULL DEFAULT 0,
  minute_start  timestamptz NOT NULL,
  minute_count  integer NOT NULL DEFAULT 0,
  PRIMARY KEY (username, day)
);
CREATE TABLE usage_months (
  month     date PRIMARY KEY,
  cost_usd  double precision NOT NULL DEFAULT 0
);
INSERT INTO usage_months (month, cost_usd)
  SELECT date_trunc('month', at AT TIME ZONE 'UTC')::date, sum(cost_usd) FROM usage_events
   WHERE cost_usd IS NOT NULL GROUP BY 1;
`,
  },
  {
    id: "0013_document_files",
    sql: `
-- What a document was read from (issue 25): where its bytes are (origin: a path on this machine,
-- s3://bucket/key on AWS, never in an API response), its file, and where each passage sits in it.
ALTER TABLE documents
  ADD COLUMN origin text,
  ADD COLUMN file_name text,
  ADD COLUMN media_type text,
  ADD COLUMN size_bytes bigint,
  ADD COLUMN pages integer,
  ADD COLUMN ocr_pages integer NOT NULL DEFAULT 0,
  ADD COLUMN document_date text;
ALTER TABLE chunks ADD COLUMN location jsonb;
-- Sources were server paths (/…/docs/a.md) or S3 URLs (s3://bucket/uploads/…): each keeps them as
-- its origin and goes by its folder and file name, or its key (a clash gets " (2)", " (3)"…).
UPDATE documents SET origin = source WHERE source LIKE '/%' OR source LIKE 's3://%';
WITH renamed AS (
  SELECT id, CASE WHEN source LIKE 's3://%' THEN regexp_replace(source, '^s3://[^/]+/', '')
                  ELSE coalesce(substring(source FROM '([^/]+/[^/]+)$'), regexp_replace(source, '^.*/', '')) END AS name
    FROM documents WHERE origin IS NOT NULL
), numbered AS (
  SELECT id, name, row_number() OVER (PARTITION BY name ORDER BY id) AS n FROM renamed
)
UPDATE documents d SET source = CASE WHEN n.n = 1 THEN n.name ELSE n.name || ' (' || n.n || ')' END
  FROM numbered n WHERE d.id = n.id;
UPDATE documents SET file_name = regexp_replace(source, '^.*/', '') WHERE file_name IS NULL;
-- Who uploaded a document: the latest upload grant for its source (documents.ts).
CREATE INDEX audit_log_upload_target ON audit_log (target, id) WHERE action = 'document.upload';
-- Sources a collection is kept equal to: an S3 bucket and prefix, or a folder here
-- (sources/document-sources.ts). Their documents go by '<name>/<path under the prefix>'.
CREATE TABLE document_sources (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind           text NOT NULL CHECK (kind IN ('s3', 'folder')),
  name           text NOT NULL UNIQUE,
  location       text NOT NULL,
  prefix         text NOT NULL DEFAULT '',
  collection_id  uuid NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_sync_at   timestamptz,
  last_sync      jsonb,
  UNIQUE (kind, location, prefix)
);
CREATE INDEX documents_source_pattern ON documents (source text_pattern_ops);
`,
  },
  {
    id: "0014_session_shares",
    sql: `
-- A conversation shared read-only with users (by username) or groups (chat/shares.ts).
CREATE TABLE session_shares (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id  uuid NOT NULL REFERENCES chat_sessions (id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('user', 'group')),
  principal   text NOT NULL,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (session_id, kind, principal)
);
CREATE INDEX session_shares_principal ON session_shares (kind, principal);
`,
  },
];

/**
 * Recomputes the ranking statistics (document frequency per lexeme, number of chunks) after the
 * chunks changed, and the planner's statistics with them: right after a bulk load, the planner took
 * the never-analysed one-row `corpus_totals` for 2,470 rows and two SOTU questions took 95 ms
 * instead of 12 (about 0.4 s for 12,904 chunks).
 *
 * It also moves the full-text index's pending entries into the index proper. GIN queues inserted
 * entries in a list that every search reads through until a vacuum merges them, and the embedded
 * database has no autovacuum: after ingesting the SOTU corpus, 309 pages were queued and the median
 * search took 13.4 ms instead of 9.8 (the merge: 0.16 s). Only the index's owner may merge; on
 * AWS the application user is not, and Aurora's autovacuum does it.
 */
export async function refreshLexemeStats(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `SELECT gin_clean_pending_list(c.oid) FROM pg_class c
       WHERE c.oid = 'chunks_tsv_gin'::regclass AND pg_has_role(c.relowner, 'USAGE')`,
    );
    await tx.query("DELETE FROM lexeme_stats");
    await tx.query(
      "INSERT INTO lexeme_stats (lexeme, ndoc) SELECT word, ndoc FROM ts_stat('SELECT tsv FROM chunks')",
    );
    await tx.query(
      `INSERT INTO corpus_totals (id, chunks) SELECT true, count(*) FROM chunks
       ON CONFLICT (id) DO UPDATE SET chunks = EXCLUDED.chunks`,
    );
    await tx.query("ANALYZE chunks, documents, lexeme_stats, corpus_totals");
  });
}

/**
 * Refreshes the ranking statistics once the number of chunks has moved by more than `fraction`
 * since the last refresh: a full refresh reads every chunk, too much after each of a million
 * documents, while statistics a percent behind rank the same. Skipped while another refresh runs.
 */
export async function refreshLexemeStatsIfDrifted(
  db: Database,
  fraction = 0.01,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ due: boolean }>(
      // Counting a large table costs a scan of it: above 100k rows, the planner's estimate will do.
      `WITH n AS (
         SELECT CASE WHEN c.reltuples < 100000 THEN (SELECT count(*) FROM chunks) ELSE c.reltuples END AS counted,
                coalesce((SELECT chunks FROM corpus_totals), 0) AS refreshed
         FROM pg_class c WHERE c.oid = 'chunks'::regclass)
       SELECT abs(counted - refreshed) > $1::float8 * refreshed AND pg_try_advisory_xact_lock(724312) AS due FROM n`,
      [fraction],
    );
    if (rows[0].due) await refreshLexemeStats(tx);
    return rows[0].due;
  });
}

/**
 * The HNSW index on chunk embeddings. Kept out of the migrations because a bulk load into an
 * empty store drops it and builds it once at the end (about 3× faster than inserting into it);
 * ensured on every open, so a load killed before rebuilding it heals on the next run.
 */
export async function ensureVectorIndex(db: Database): Promise<void> {
  await db.query(
    "CREATE INDEX IF NOT EXISTS chunks_embedding_hnsw ON chunks USING hnsw (embedding vector_cosine_ops)",
  );
}

/** Applies the migrations not yet applied, then ensures the vector index; returns the ids applied. Safe to run concurrently with itself. */
export async function migrate(db: Database): Promise<string[]> {
  const applied = await db.transaction(async (tx) => {
    // One migrator at a time (several Lambdas may start together on AWS).
    await tx.query("SELECT pg_advisory_xact_lock(724311)");
    // A migration may rewrite every chunk: the pool's statement timeout is for requests.
    await tx.query("SET LOCAL statement_timeout = 0");
    await tx.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const { rows } = await tx.query<{ id: string }>(
      "SELECT id FROM schema_migrations",
    );
    const done = new Set(rows.map((r) => r.id));
    const pending = MIGRATIONS.filter((m) => !done.has(m.id));
    for (const m of pending) {
      await tx.query(m.sql);
      await tx.query("INSERT INTO schema_migrations (id) VALUES ($1)", [m.id]);
    }
    // Ranking statistics lag the chunks when an ingest stopped before refreshing them (or when
    // they were just introduced): catch up.
    const { rows: stale } = await tx.query<{ stale: boolean }>(
      "SELECT (SELECT count(*) FROM chunks) <> coalesce((SELECT chunks FROM corpus_totals), 0) AS stale",
    );
    if (stale[0].stale) await refreshLexemeStats(tx);
    await ensureVectorIndex(tx);
    return pending;
  });
  for (const m of applied) if (m.after) await db.query(m.after);
  return applied.map((m) => m.id);
}

/**
 * Splits a migration's SQL into statements, as the AWS schema custom resource sends them one by
 * one through the Data API: at a `;` that ends a line (function bodies keep theirs inside a line).
 */
export const splitStatements = (sql: string): string[] =>
  sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--[^\n]*/g, "").trim().length > 0);
