import { X509Certificate } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connectPostgres, iamAuthPoolConfig } from "./connect-postgres";
import { databaseFromPool } from "./database";
import {
  DEFAULT_ASSISTANT_ID,
  GENERAL_COLLECTION_ID,
  MIGRATIONS,
  migrate,
} from "./migrations";
import { embeddedPool, openDatabase, type OpenDatabase } from "./open-database";
import { assistantById, listAssistantVersions } from "../assistants/assistants";
import { listSessions } from "../chat/sessions";
import {
  ensureCollection,
  moveDocument,
  readableCollections,
} from "../collections/collections";

describe("iamAuthPoolConfig (Aurora IAM authentication)", () => {
  it("connects over TLS with a freshly signed token as the password, never a stored one", async () => {
    const config = iamAuthPoolConfig(
      "postgres://sextant_app@db.cluster-abc.eu-west-1.rds.amazonaws.com:5433/sextant",
      {
        region: "eu-west-1",
        credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
      },
    );
    expect(config).toMatchObject({
      host: "db.cluster-abc.eu-west-1.rds.amazonaws.com",
      port: 5433,
      user: "sextant_app",
      database: "sextant",
      ssl: { rejectUnauthorized: true },
    });
    // Lambda's Node.js 20+ runtimes do not trust Amazon's RDS authorities by default: they travel
    // with the code, for the cluster's region among all others.
    const authorities = (config.ssl as { ca: string[] }).ca.map(
      (pem) => new X509Certificate(pem).subject,
    );
    expect(authorities).toContainEqual(
      expect.stringContaining("CN=Amazon RDS eu-west-1 Root CA RSA2048 G1"),
    );
    expect(authorities.length).toBeGreaterThan(30);
    const token = await (config.password as () => Promise<string>)();
    expect(token).toMatch(
      /^db\.cluster-abc\.eu-west-1\.rds\.amazonaws\.com:5433\/\?Action=connect&DBUser=sextant_app&/,
    );
    expect(token).toContain("X-Amz-Signature=");
    expect(token).toContain("X-Amz-Expires=900");
  });
});

describe("openDatabase", () => {
  // A fresh in-memory store for each test: the upgrade tests rewind its schema.
  let store: OpenDatabase;
  beforeEach(async () => {
    store = await openDatabase(undefined, "");
  });
  afterEach(async () => {
    await store.close();
  });

  it("opens an embedded store in memory, migrated, with pgvector", async () => {
    const { rows } = await store.db.query<{ id: string }>(
      "SELECT id FROM schema_migrations ORDER BY id",
    );
    expect(rows.map((r) => r.id)).toEqual([
      "0001_initial",
      "0002_lexeme_stats",
      "0003_tsv_inline",
      "0004_proper_nouns",
      "0005_message_idempotency_key",
      "0006_user_access",
      "0007_collections",
      "0008_assistants",
      "0009_evaluation_sets",
      "0010_evaluation_runs",
      "0011_usage_and_quotas",
      "0012_usage_counters",
      "0013_document_files",
      "0014_session_shares",
    ]);
    expect(store.location).toBe("memory");
  });

  it("keeps the messages stored before 0005, and allows one question per idempotency key and session", async () => {
    const { db } = store;
    // A store as 0004 left it, with a conversation in it.
    await db.query(
      `DELETE FROM schema_migrations WHERE id = '0005_message_idempotency_key';
       ALTER TABLE messages DROP COLUMN idempotency_key;
       WITH s AS (INSERT INTO chat_sessions (owner, title) VALUES ('ada', 't') RETURNING id)
       INSERT INTO messages (session_id, role, content) SELECT id, 'user', 'Old question?' FROM s;`,
    );
    expect(await migrate(db)).toEqual(["0005_message_idempotency_key"]);
    const { rows } = await db.query<{
      session_id: string;
      content: string;
      idempotency_key: string | null;
    }>("SELECT session_id, content, idempotency_key FROM messages");
    expect(rows).toEqual([
      expect.objectContaining({
        content: "Old question?",
        idempotency_key: null,
      }),
    ]);
    const ask = (role: string) =>
      db.query(
        "INSERT INTO messages (session_id, role, content, idempotency_key) VALUES ($1, $2, 'Q?', 'k')",
        [rows[0].session_id, role],
      );
    await ask("user");
    await ask("assistant");
    await expect(ask("user")).rejects.toMatchObject({ code: "23505" });
  });

  it("moves a store from before collections into 'General', granted to everyone; a chunk always follows its document's collection", async () => {
    const { db } = store;
    // A store as 0006 left it, with a document and its chunk.
    await db.query(
      `DELETE FROM schema_migrations WHERE id = '0007_collections';
       DROP TRIGGER documents_collection_moved ON documents; DROP FUNCTION move_chunks_with_document;
       DROP TRIGGER chunks_collection ON chunks; DROP FUNCTION chunk_in_document_collection;
       ALTER TABLE chunks DROP COLUMN collection_id; ALTER TABLE documents DROP COLUMN collection_id;
       DROP TABLE collections CASCADE;
       WITH d AS (INSERT INTO documents (source, title, content_hash) VALUES ('old.txt', 'Old', 'h') RETURNING id)
       INSERT INTO chunks (document_id, ordinal, content, content_hash, embedding, tsv)
       SELECT d.id, 0, 'An old passage.', 'c', array_fill(0, ARRAY[384])::vector, to_tsvector('english', 'An old passage.') FROM d;`,
    );
    expect(await migrate(db)).toEqual(["0007_collections"]);
    const where = () =>
      db.query<{ document: string; chunk: string }>(
        "SELECT d.collection_id AS document, c.collection_id AS chunk FROM documents d JOIN chunks c ON c.document_id = d.id",
      );
    expect((await where()).rows).toEqual([
      { document: GENERAL_COLLECTION_ID, chunk: GENERAL_COLLECTION_ID },
    ]);
    // Everyone signed in reads General, as before collections; a new one is read by no one.
    expect(await readableCollections(db, [])).toEqual([GENERAL_COLLECTION_ID]);
    const hr = await ensureCollection(db, "HR", { readGroups: ["HR"] });
    expect(await readableCollections(db, [])).toEqual([GENERAL_COLLECTION_ID]);
    expect((await readableCollections(db, ["HR"])).sort()).toEqual(
      [GENERAL_COLLECTION_ID, hr.id].sort(),
    );
    // Moved, the document takes its chunk along; a chunk written with another label gets its document's.
    const { rows: docs } = await db.query<{ id: string }>(
      "SELECT id FROM documents",
    );
    await moveDocument(db, docs[0].id, hr.id);
    expect((await where()).rows).toEqual([{ document: hr.id, chunk: hr.id }]);
    await db.query("UPDATE chunks SET collection_id = $1", [
      GENERAL_COLLECTION_ID,
    ]);
    expect((await where()).rows).toEqual([{ document: hr.id, chunk: hr.id }]);
  });

  it("makes a store's configuration from before assistants the Default assistant, its history kept, and binds its sessions to it", async () => {
    const { db } = store;
    // A store as 0007 left it: two saved configurations and a conversation.
    await db.query(
      `DELETE FROM schema_migrations WHERE id IN ('0008_assistants', '0010_evaluation_runs');
       DROP TABLE evaluation_runs, evaluation_scores;
       ALTER TABLE user_access DROP COLUMN groups;
       ALTER TABLE chat_sessions DROP COLUMN assistant_id;
       ALTER TABLE assistant_versions DROP CONSTRAINT assistant_versions_pkey;
       ALTER TABLE assistant_versions DROP COLUMN assistant_id, DROP COLUMN settings;
       ALTER TABLE assistant_versions RENAME TO inference_config_versions;
       ALTER TABLE inference_config_versions ADD CONSTRAINT inference_config_versions_pkey PRIMARY KEY (version);
       DROP TABLE assistants;
       INSERT INTO inference_config_versions (version, config, author)
         VALUES (1, '{"historyTurns": 1}', 'ada'), (2, '{"historyTurns": 2}', 'grace');
       INSERT INTO chat_sessions (owner, title) VALUES ('alan', 'Before assistants');`,
    );
    expect(await migrate(db)).toEqual([
      "0008_assistants",
      "0010_evaluation_runs",
    ]);
    expect(await assistantById(db, DEFAULT_ASSISTANT_ID)).toMatchObject({
      name: "Default",
      version: 2,
      config: { historyTurns: 2 },
      author: "grace",
      allCollections: true,
      everyone: true,
    });
    expect(
      (await listAssistantVersions(db, DEFAULT_ASSISTANT_ID)).map((v) => [
        v.version,
        v.author,
        v.name,
      ]),
    ).toEqual([
      [2, "grace", "Default"],
      [1, "ada", "Default"],
    ]);
    const { items } = await listSessions(db, "alan", { limit: 10 });
    expect(items).toMatchObject([
      { assistantId: DEFAULT_ASSISTANT_ID, assistantName: "Default" },
    ]);
  });

  it("indexes the proper nouns of chunks stored before 0004, and counts them for ranking", async () => {
    const { db } = store;
    // A store as 0003 left it: chunks indexed by stems alone, and no 0004 functions.
    await db.query(
      `DELETE FROM schema_migrations WHERE id = '0004_proper_nouns';
       DROP FUNCTION chunk_tsv; DROP FUNCTION proper_nouns;
       WITH d AS (INSERT INTO documents (source, title, content_hash) VALUES ('s', 'shuttle', 'h') RETURNING id)
       INSERT INTO chunks (document_id, ordinal, content, content_hash, embedding, tsv)
       SELECT d.id, 0, 'We mourned the Challenger.', 'c', array_fill(0, ARRAY[384])::vector,
              to_tsvector('english', 'We mourned the Challenger.') FROM d;
       INSERT INTO corpus_totals (id, chunks) VALUES (true, 1);`,
    );
    expect(await migrate(db)).toEqual(["0004_proper_nouns"]);
    const { rows } = await db.query<{ tsv: string; ndoc: number }>(
      "SELECT c.tsv::text AS tsv, s.ndoc FROM chunks c, lexeme_stats s WHERE s.lexeme = 'Challenger'",
    );
    expect(rows).toEqual([
      { tsv: expect.stringContaining("'Challenger'"), ndoc: 1 },
    ]);
  });

  it("rolls a failed transaction back entirely", async () => {
    await expect(
      store.db.transaction(async (tx) => {
        await tx.query(
          "INSERT INTO audit_log (actor, action) VALUES ('t', 'a')",
        );
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(
      (await store.db.query("SELECT count(*)::int AS n FROM audit_log"))
        .rows[0],
    ).toEqual({ n: 0 });
  });
});

describe("named statements over PGlite's socket server (one session for every connection)", () => {
  it("prepares again on a connection that replaced a dropped one, and only when asked to", async () => {
    const pglite = await PGlite.create();
    // Two connections, so the next is let in before the server has seen the dropped one close.
    const server = new PGLiteSocketServer({
      db: pglite,
      port: 0,
      maxConnections: 2,
    });
    await server.start();
    const port = Number(server.getServerConn().split(":").pop());
    const pool = embeddedPool(port);
    try {
      const db = databaseFromPool(pool, { namedStatements: true });
      const probe = () =>
        db.query<{ one: number }>("SELECT 1 AS one", [], { name: "probe" });
      expect((await probe()).rows).toEqual([{ one: 1 }]);
      // The connection drops; its statement stays in PGlite's one session.
      const dropped = await pool.connect();
      dropped.release(new Error("connection dropped"));
      // Without DEALLOCATE ALL on connect: "prepared statement "probe" already exists".
      expect((await probe()).rows).toEqual([{ one: 1 }]);

      await db.query("DEALLOCATE ALL");
      await databaseFromPool(pool).query("SELECT 2", [], { name: "ignored" });
      const { rows } = await db.query(
        "SELECT name FROM pg_prepared_statements",
      );
      expect(rows).toEqual([]);
    } finally {
      await pool.end();
      await server.stop();
      await pglite.close();
    }
  });
});

describe("connectPostgres's statement timeout (a real server: PGlite behind its socket server)", () => {
  it("asks the server to cancel any statement that runs past the deployment's limit, and migrations lift it", async () => {
    const pglite = await PGlite.create({ extensions: { vector } });
    const server = new PGLiteSocketServer({ db: pglite, port: 0 });
    await server.start();
    const port = Number(server.getServerConn().split(":").pop());
    const store = await connectPostgres(
      `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
      { statementTimeoutMs: 25_000, max: 1, iamAuth: false },
    );
    try {
      const { rows } = await store.db.query<{ statement_timeout: string }>(
        "SHOW statement_timeout",
      );
      expect(rows[0].statement_timeout).toBe("25s");
      // The migration ran (it sets its own timeout to none, inside its transaction only).
      const applied = await store.db.query(
        "SELECT count(*)::int AS n FROM schema_migrations",
      );
      expect(applied.rows[0]).toEqual({ n: MIGRATIONS.length });
    } finally {
      await store.close();
      await server.stop();
      await pglite.close();
    }
  });
});

describe("the embedded database's directory", () => {
  it("admits one opener at a time, and can be reopened after close", async () => {
    const { mkdtempSync, rmSync } = await import("fs");
    const { tmpdir } = await import("os");
    const { join } = await import("path");
    const dir = mkdtempSync(join(tmpdir(), "sextant-lock-"));
    try {
      const first = await openDatabase(dir, "");
      await expect(openDatabase(dir, "")).rejects.toThrow(
        /in use by process \d+ \(this one\).*--data-dir/,
      );
      await first.db.query("CREATE TABLE kept (n int)");
      await first.close();
      const second = await openDatabase(dir, "");
      expect(
        (await second.db.query("SELECT count(*)::int AS n FROM kept")).rows,
      ).toEqual([{ n: 0 }]);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
