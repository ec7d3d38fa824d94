import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { describe, expect, it } from "vitest";
import { MIGRATIONS, splitStatements } from "./migrations";
import { openDatabase } from "./open-database";

/**
 * On AWS the schema custom resource splits each migration with `splitStatements` and sends the
 * pieces one by one through the Data API, in a transaction per migration, then the migration's
 * `after` statement on its own (infra/src/lambda/migrate.ts). Here the same pieces run, one by
 * one, on a fresh embedded Postgres, and the schema they build is compared with `migrate()`'s.
 */
const SNAPSHOT = {
  columns: `SELECT table_name, column_name, data_type, is_nullable, column_default
            FROM information_schema.columns WHERE table_schema = 'public'
            AND table_name <> 'schema_migrations' ORDER BY 1, 2`,
  indexes: `SELECT indexname, indexdef FROM pg_indexes
            WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY 1`,
  constraints: `SELECT conrelid::regclass::text AS rel, conname, pg_get_constraintdef(oid) AS def
                FROM pg_constraint WHERE connamespace = 'public'::regnamespace
                AND conrelid::regclass::text <> 'schema_migrations' ORDER BY 1, 2`,
  functions: `SELECT proname, pg_get_functiondef(p.oid) AS def FROM pg_proc p
              JOIN pg_language l ON l.oid = p.prolang
              WHERE pronamespace = 'public'::regnamespace AND l.lanname IN ('sql', 'plpgsql')
              ORDER BY 1`,
} as const;

async function snapshot(query: (sql: string) => Promise<{ rows: unknown[] }>) {
  const out: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(SNAPSHOT))
    out[name] = (await query(sql)).rows;
  return out;
}

describe("the migrations as AWS runs them: split into statements, one at a time (embedded Postgres)", () => {
  it("build the same schema as migrate()", async () => {
    const reference = await openDatabase(undefined, "");
    const expected = await snapshot((sql) => reference.db.query(sql));
    await reference.close();

    const pg = await PGlite.create({ extensions: { vector } });
    try {
      for (const m of MIGRATIONS) {
        await pg.query("BEGIN");
        for (const statement of splitStatements(m.sql)) {
          try {
            await pg.query(statement);
          } catch (e) {
            throw new Error(
              `${m.id}: a statement failed as the Data API would send it:\n${statement.slice(0, 300)}\n${(e as Error).message}`,
            );
          }
        }
        await pg.query("COMMIT");
        if (m.after) await pg.query(m.after);
      }
      // The custom resource's own last statement that shapes the schema (the grants need RDS).
      await pg.query(
        "CREATE INDEX IF NOT EXISTS chunks_embedding_hnsw ON chunks USING hnsw (embedding vector_cosine_ops)",
      );
      const actual = await snapshot((sql) => pg.query(sql));
      expect(actual.columns.length).toBeGreaterThan(30);
      expect(actual).toEqual(expected);
    } finally {
      await pg.close();
    }
  }, 120_000);
});
