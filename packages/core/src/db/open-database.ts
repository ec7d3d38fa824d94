import { mkdirSync } from "fs";
import { Signer, type SignerConfig } from "@aws-sdk/rds-signer";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { Pool, type PoolConfig } from "pg";
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
  if (databaseUrl) {
    const pool = new Pool(
      process.env.DATABASE_IAM_AUTH === "true"
        ? iamAuthPoolConfig(databaseUrl)
        : { connectionString: databaseUrl, max: 4 },
    );
    const db = databaseFromPool(pool);
    await migrate(db);
    const url = new URL(databaseUrl);
    url.password = "";
    return { db, location: url.toString(), close: () => pool.end() };
  }
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

/**
 * Pool settings for Aurora with IAM database authentication: no stored password; each new
 * connection signs a fresh 15-minute token with the caller's AWS credentials, over TLS.
 * `DATABASE_URL` names host, port, user and database (e.g. `postgres://sextant_app@cluster:5433/sextant`).
 */
export function iamAuthPoolConfig(
  databaseUrl: string,
  options: { region?: string; credentials?: SignerConfig["credentials"] } = {},
): PoolConfig {
  const url = new URL(databaseUrl);
  const port = Number(url.port || 5432);
  const user = decodeURIComponent(url.username);
  const signer = new Signer({
    hostname: url.hostname,
    port,
    username: user,
    region: options.region ?? process.env.AWS_REGION,
    credentials: options.credentials,
  });
  return {
    host: url.hostname,
    port,
    user,
    database: url.pathname.slice(1) || "postgres",
    password: () => signer.getAuthToken(),
    ssl: { rejectUnauthorized: true },
    max: 4,
  };
}
