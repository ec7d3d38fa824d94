import type { Pool, PoolClient, QueryResultRow } from "pg";

/** What the domain needs from Postgres: queries, and transactions that commit or roll back as one. */
export interface Database {
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    params?: unknown[],
  ): Promise<{ rows: R[] }>;
  /** Runs `work` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Database) => Promise<T>): Promise<T>;
}

function onClient(client: PoolClient): Database {
  return {
    query: (text, params) => client.query(text, params as unknown[]),
    transaction: (work) => work(onClient(client)), // already inside one
  };
}

/**
 * A {@link Database} over a `pg` pool: the same code for embedded PGlite (through its socket
 * server), any Postgres (`DATABASE_URL`) and Aurora (IAM auth token as the password).
 */
export function databaseFromPool(pool: Pool): Database {
  return {
    query: (text, params) => pool.query(text, params as unknown[]),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work(onClient(client));
        await client.query("COMMIT");
        return result;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
  };
}

/** A pgvector literal (`[0.1,0.2,…]`) for a query parameter. */
export const toVector = (v: readonly number[]): string => `[${v.join(",")}]`;
