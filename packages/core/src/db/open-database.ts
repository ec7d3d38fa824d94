import { mkdirSync } from "fs";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { Pool } from "pg";
import { connectPostgres } from "./connect-postgres";
import { databaseFromPool, type Database } from "./database";
import { migrate } from "./migrations";

/** An open database and how to close it. */
export interface OpenDatabase {
  readonly db: Database;
  /** Where it lives: the data directory, or the Postgres URL without its password. */
  readonly location: string;
  close(): Promise<void>;
}

/**
 * Opens Sextant's database, migrated (import it from `@sextant/core/lib/db/open-database`: it is
 * kept out of the package index so Lambda bundles never pull in PGlite): `DATABASE_URL` when set (any Postgres with pgvector),
 * otherwise embedded PGlite with pgvector in `dataDir` (in memory when undefined). Both are reached through the same `pg`
 * driver code: PGlite through its socket server on a loopback port.
 */
export async function openDatabase(
  dataDir: string | undefined,
  databaseUrl = process.env.DATABASE_URL,
): Promise<OpenDatabase> {
  if (databaseUrl) return connectPostgres(databaseUrl);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({ dataDir, extensions: { vector } });
  const server = new PGLiteSocketServer({
    db: pglite,
    host: "127.0.0.1",
    port: 0,
  });
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  // PGlite is single-connection: one pooled client, shared by turns.
  const pool = new Pool({
    host: "127.0.0.1",
    port,
    user: "postgres",
    database: "postgres",
    max: 1,
  });
  const db = databaseFromPool(pool);
  try {
    await migrate(db);
  } catch (e) {
    await pool.end();
    await server.stop();
    await pglite.close();
    throw e;
  }
  return {
    db,
    location: dataDir ?? "memory",
    close: async () => {
      await pool.end();
      await server.stop();
      await pglite.close();
    },
  };
}
