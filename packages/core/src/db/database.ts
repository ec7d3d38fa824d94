import type { Pool, PoolClient, QueryResultRow } from "pg";

/** How to run one query. */
export interface QueryOptions {
  /**
   * Prepare the statement under this name once per connection and reuse it, so later calls skip
   * parsing and analysis (about 1 ms of a 10 ms search on the embedded database). For hot queries
   * only; one name must always carry the same text. Ignored unless the database was opened with
   * `namedStatements` (see {@link databaseFromPool}).
   */
  readonly name?: string;
}

/** What the domain needs from Postgres: queries, and transactions that commit or roll back as one. */
export interface Database {
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    params?: unknown[],
    options?: QueryOptions,
  ): Promise<{ rows: R[] }>;
  /** Runs `work` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Database) => Promise<T>): Promise<T>;
}

/** Turns a query into a `pg` query config, named (prepared once per connection) or not. */
type QueryConfig = (
  text: string,
  params?: unknown[],
  options?: QueryOptions,
) => { text: string; values?: unknown[]; name?: string };

function onClient(client: PoolClient, config: QueryConfig): Database {
  return {
    query: (text, params, options) =>
      client.query(config(text, params, options)),
    transaction: (work) => work(onClient(client, config)), // already inside one
  };
}

/**
 * A {@link Database} over a `pg` pool: the same code for embedded PGlite (through its socket
 * server), any Postgres (`DATABASE_URL`) and Aurora (IAM auth token as the password).
 *
 * `namedStatements` honours {@link QueryOptions.name}. `pg` remembers per connection what it has
 * prepared, so it is only for a server whose connections are sessions of their own, or for one
 * connection at a time that starts with `DEALLOCATE ALL`: PGlite's socket server runs every
 * connection in its one session, where a new connection would find the name taken.
 */
export function databaseFromPool(
  pool: Pool,
  { namedStatements = false }: { namedStatements?: boolean } = {},
): Database {
  const config: QueryConfig = (text, values, options) => ({
    text,
    values,
    name: namedStatements ? options?.name : undefined,
  });
  // An idle connection that drops (database restarted, network cut) is an 'error' event on the
  // pool; unheard, it would end the process. The pool discards that connection and the next query
  // opens a new one, so there is nothing to do here: a database still unreachable fails that query.
  pool.on("error", () => undefined);
  return {
    query: (text, params, options) => pool.query(config(text, params, options)),
    async transaction(work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      // A checked-out connection that drops between statements emits 'error' on the client (the
      // pool only listens to idle ones); heard here, it fails this transaction instead of the process.
      const dropped = (e: Error) => {
        broken = e;
      };
      client.on("error", dropped);
      try {
        await client.query("BEGIN");
        const result = await work(onClient(client, config));
        await client.query("COMMIT");
        return result;
      } catch (e) {
        await client.query("ROLLBACK").catch((rollbackFailed: Error) => {
          broken = rollbackFailed;
        });
        throw e;
      } finally {
        // A connection that dropped or cannot even roll back is broken: destroy it rather than pool it.
        client.off("error", dropped);
        client.release(broken);
      }
    },
  };
}

/** A pgvector literal (`[0.1,0.2,…]`) for a query parameter. */
export const toVector = (v: readonly number[]): string => `[${v.join(",")}]`;
