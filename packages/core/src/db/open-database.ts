import { mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { Pool } from "pg";
import { connectPostgres } from "./connect-postgres";
import { databaseFromPool, type Database } from "./database";
import { migrate, VECTOR_SESSION_SETTINGS } from "./migrations";

/** An open database and how to close it. */
export interface OpenDatabase {
  readonly db: Database;
  /** Where it lives: the data directory, or the Postgres URL without its password. */
  readonly location: string;
  close(): Promise<void>;
}

/**
 * The pool over PGlite's socket server: PGlite is single-connection, so one pooled client, shared
 * by turns. The server runs every connection in its one session, so a client that replaces a
 * dropped one first clears the statements its predecessor prepared there.
 */
export function embeddedPool(port: number): Pool {
  const pool = new Pool({
    host: "127.0.0.1",
    port,
    user: "postgres",
    database: "postgres",
    max: 1,
  });
  // Queued before the query the client was opened for; a failure leaves that query to fail.
  pool.on("connect", (client) => {
    client.query("DEALLOCATE ALL").catch(() => undefined);
  });
  return pool;
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
  const unlock = dataDir ? lockDataDir(dataDir) : () => undefined;
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({ dataDir, extensions: { vector } });
  } catch (e) {
    unlock();
    throw e;
  }
  const server = new PGLiteSocketServer({
    db: pglite,
    host: "127.0.0.1",
    port: 0,
  });
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  const pool = embeddedPool(port);
  const db = databaseFromPool(pool, { namedStatements: true });
  try {
    await migrate(db);
    // One session behind every connection of the socket server: set once, pgvector loaded.
    await pglite.exec(VECTOR_SESSION_SETTINGS);
  } catch (e) {
    await pool.end();
    await server.stop();
    await pglite.close();
    unlock();
    throw e;
  }
  return {
    db,
    location: dataDir ?? "memory",
    close: async () => {
      await pool.end();
      await server.stop();
      await pglite.close();
      unlock();
    },
  };
}

/** The embedded database is open in another process (or already in this one). */
export class DatabaseInUseError extends Error {
  readonly name = "DatabaseInUseError";
}

/**
 * Embedded Postgres admits one process per data directory (two would corrupt it): a lock file
 * holds the owner's pid. A lock left by a process that no longer runs (killed) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, "sextant.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = Number(readFileSync(file, "utf8"));
      if (isRunning(owner)) {
        throw new DatabaseInUseError(
          `The embedded database in ${dataDir} is in use by process ${owner}${owner === process.pid ? " (this one)" : ""} — ` +
            "is `npm start` running? Stop it, or use another data directory (--data-dir).",
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new DatabaseInUseError(`Could not lock ${dataDir}.`);
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
