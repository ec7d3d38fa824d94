import {
  BeginTransactionCommand,
  CommitTransactionCommand,
  ExecuteStatementCommand,
  RDSDataClient,
  RollbackTransactionCommand,
  type Field,
} from "@aws-sdk/client-rds-data";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { openDatabase } from "@sextant/core/embedded";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schemaResourceEndpoint } from "./custom-resource";
import { Network } from "../src/constructs/network";
import { VectorStore } from "../src/constructs/vector-store";
import { handler, type MigrateProperties } from "../src/lambda/migrate";

/**
 * The schema custom resource (infra/src/lambda/migrate.ts) as it runs on every deployment, with
 * the properties the template gives it, against a real Postgres: the RDS Data API cannot be
 * reached here, so its calls run on an embedded Postgres (PGlite with pgvector) — each statement
 * as sent, `:id` parameters bound, transactions begun and committed as asked. The schema it builds
 * is compared with what `migrate()` builds for the local stack, on a fresh database and on one
 * first deployed at each earlier schema version.
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

const rdsData = mockClient(RDSDataClient);
let endpoint: Awaited<ReturnType<typeof schemaResourceEndpoint>>;
let properties: MigrateProperties;
let expected: Record<string, unknown[]>;

const toField = (value: unknown): Field =>
  value === null
    ? { isNull: true }
    : typeof value === "number"
      ? { longValue: value }
      : typeof value === "boolean"
        ? { booleanValue: value }
        : { stringValue: String(value) };

/** Serves the Data API's calls from `pg`; returns the SQL it ran. */
function dataApiOn(pg: PGlite): string[] {
  const ran: string[] = [];
  rdsData.reset();
  rdsData.on(BeginTransactionCommand).callsFake(async () => {
    await pg.exec("BEGIN");
    return { transactionId: "tx" };
  });
  rdsData.on(CommitTransactionCommand).callsFake(async () => {
    await pg.exec("COMMIT");
    return { transactionStatus: "Transaction Committed" };
  });
  rdsData.on(RollbackTransactionCommand).callsFake(async () => {
    await pg.exec("ROLLBACK");
    return { transactionStatus: "Rollback Complete" };
  });
  rdsData.on(ExecuteStatementCommand).callsFake(async (input) => {
    ran.push(input.sql);
    const names = (input.parameters ?? []).map((p: { name: string }) => p.name);
    const sql = names.reduce(
      (text: string, name: string, i: number) =>
        text.replaceAll(`:${name}`, `$${i + 1}`),
      input.sql,
    );
    const values = (input.parameters ?? []).map(
      (p: { value: { stringValue?: string } }) => p.value.stringValue,
    );
    const result = await pg.query<Record<string, unknown>>(sql, values, {
      rowMode: "object",
    });
    return {
      records: result.rows.map((row) => Object.values(row).map(toField)),
      numberOfRecordsUpdated: result.affectedRows ?? 0,
    };
  });
  return ran;
}

/** One deployment: the custom resource's Update, answered to a local response URL. */
async function deploy(props: MigrateProperties): Promise<void> {
  endpoint.responses.length = 0;
  await handler(endpoint.event("Update", props));
  expect(endpoint.responses, JSON.stringify(endpoint.responses)).toEqual([
    expect.objectContaining({ Status: "SUCCESS" }),
  ]);
}

/** A fresh Postgres with what RDS provides: the `rds_iam` role. */
async function freshPostgres(): Promise<PGlite> {
  const pg = await PGlite.create({ extensions: { vector } });
  await pg.exec("CREATE ROLE rds_iam");
  return pg;
}

beforeAll(async () => {
  endpoint = await schemaResourceEndpoint();
  // The properties a deployment sends, from the synthesized template.
  const stack = new Stack(new App(), "schema");
  const network = new Network(stack, "Network", {});
  new VectorStore(stack, "VectorStore", {
    vpc: network.vpc,
    subnets: network.databaseSubnets,
  });
  const [schema] = Object.values(
    Template.fromStack(stack).findResources("Custom::SextantSchema"),
  );
  properties = schema.Properties as MigrateProperties;
  const reference = await openDatabase(undefined, "");
  expected = await snapshot((sql) => reference.db.query(sql));
  await reference.close();
}, 60_000);
afterAll(async () => {
  rdsData.restore();
  await endpoint.close();
});

describe("the schema custom resource on a real Postgres (the Data API's calls run on PGlite)", () => {
  it("builds the schema migrate() builds, and a second deployment applies nothing again", async () => {
    const pg = await freshPostgres();
    try {
      dataApiOn(pg);
      await deploy(properties);
      const built = await snapshot((sql) => pg.query(sql));
      expect(built.columns.length).toBeGreaterThan(30);
      expect(built).toEqual(expected);
      const again = dataApiOn(pg);
      await deploy(properties);
      for (const m of properties.Migrations)
        for (const statement of m.statements)
          expect(again, m.id).not.toContain(statement);
      const { rows } = await pg.query<{ id: string }>(
        "SELECT id FROM schema_migrations ORDER BY id",
      );
      expect(rows.map((r) => r.id)).toEqual(
        properties.Migrations.map((m) => m.id),
      );
      // The application user: rows, not schema; the audit log append-only.
      const { rows: grants } = await pg.query<{ privilege_type: string }>(
        `SELECT privilege_type FROM information_schema.role_table_grants
         WHERE grantee = 'sextant_app' AND table_name = 'audit_log' ORDER BY 1`,
      );
      expect(grants.map((g) => g.privilege_type)).toEqual(["INSERT", "SELECT"]);
    } finally {
      await pg.close();
    }
  }, 120_000);

  it("upgrades a database first deployed at each earlier schema version to the same schema", async () => {
    const ids = properties.Migrations.map((m) => m.id);
    expect(ids.length).toBeGreaterThan(4);
    for (let version = 1; version < ids.length; version++) {
      const pg = await freshPostgres();
      try {
        dataApiOn(pg);
        // That version's deployment: its migrations, and the vector index once chunks exist.
        const earlier = properties.Migrations.slice(0, version);
        const hasChunks = earlier.some((m) =>
          m.statements.some((s) => /CREATE TABLE[^(]*\bchunks\b/.test(s)),
        );
        await deploy({
          ...properties,
          Migrations: earlier,
          AfterMigrations: properties.AfterMigrations.filter(
            (s) => hasChunks && s.includes("chunks_embedding_hnsw"),
          ),
        });
        await deploy(properties);
        expect(
          await snapshot((sql) => pg.query(sql)),
          `first deployed at ${ids[version - 1]}`,
        ).toEqual(expected);
      } finally {
        await pg.close();
      }
    }
  }, 300_000);
});
