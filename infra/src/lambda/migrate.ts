import {
  BeginTransactionCommand,
  CommitTransactionCommand,
  ExecuteStatementCommand,
  RDSDataClient,
  RollbackTransactionCommand,
} from "@aws-sdk/client-rds-data";
import { SERVICE_CLIENT_LIMITS } from "@sextant/core/aws-clients";
import type { CloudFormationCustomResourceEvent } from "aws-lambda";

/** One migration of `packages/core`, split into statements (the Data API runs one at a time). */
export interface MigrationStatements {
  readonly id: string;
  readonly statements: readonly string[];
  /** Run once the migration has committed, outside a transaction (a VACUUM), only when it was applied. */
  readonly after?: string;
}

/** The custom resource's properties. */
export interface MigrateProperties {
  readonly ResourceArn: string;
  readonly SecretArn: string;
  readonly Database: string;
  readonly Migrations: readonly MigrationStatements[];
  /** Run on every deployment after the migrations: the application user and its grants, indexes. */
  readonly AfterMigrations: readonly string[];
}

// The Data API stops a statement at 45 s: the request timeout leaves it room.
const client = new RDSDataClient({
  ...SERVICE_CLIENT_LIMITS,
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 60_000 },
});

/**
 * Applies Sextant's schema through the RDS Data API, as a CloudFormation custom resource: each
 * migration not yet recorded in `schema_migrations` runs in one transaction with its record.
 * The Data API needs no VPC access and reads the RDS-managed master secret itself, so this
 * function runs outside the VPC and no password ever leaves Secrets Manager.
 */
export async function handler(
  event: CloudFormationCustomResourceEvent,
): Promise<void> {
  let status: "SUCCESS" | "FAILED" = "SUCCESS";
  let reason = "";
  try {
    // Deleting the resource keeps the data: the cluster's own removal policy decides its fate.
    if (event.RequestType !== "Delete")
      await migrate(event.ResourceProperties as unknown as MigrateProperties);
  } catch (e) {
    status = "FAILED";
    reason = `Schema migration failed: ${(e as Error).message}`.slice(0, 1000);
    console.error(
      JSON.stringify({
        level: "ERROR",
        message: "Schema migration failed",
        error: (e as Error).name,
      }),
    );
  }
  const response = await fetch(event.ResponseURL, {
    method: "PUT",
    body: JSON.stringify({
      Status: status,
      Reason: reason,
      PhysicalResourceId: "sextant-schema",
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    }),
  });
  if (!response.ok)
    throw new Error(
      `CloudFormation did not take the response: ${response.status}`,
    );
}

async function migrate(props: MigrateProperties): Promise<void> {
  const target = {
    resourceArn: props.ResourceArn,
    secretArn: props.SecretArn,
    database: props.Database,
  };
  const run = (sql: string, transactionId?: string, id?: string) =>
    whileResuming(() =>
      client.send(
        new ExecuteStatementCommand({
          ...target,
          sql,
          transactionId,
          ...(id
            ? { parameters: [{ name: "id", value: { stringValue: id } }] }
            : {}),
        }),
      ),
    );
  await run(
    "CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
  );
  for (const migration of props.Migrations) {
    const { transactionId } = await whileResuming(() =>
      client.send(new BeginTransactionCommand(target)),
    );
    let applied = false;
    try {
      const done = await run(
        "SELECT 1 FROM schema_migrations WHERE id = :id",
        transactionId,
        migration.id,
      );
      applied = !done.records?.length;
      if (applied) {
        for (const statement of migration.statements)
          await run(statement, transactionId);
        await run(
          "INSERT INTO schema_migrations (id) VALUES (:id)",
          transactionId,
          migration.id,
        );
      }
      await client.send(
        new CommitTransactionCommand({ ...target, transactionId }),
      );
    } catch (e) {
      await client
        .send(new RollbackTransactionCommand({ ...target, transactionId }))
        .catch(() => undefined);
      throw e;
    }
    if (applied && migration.after) await run(migration.after);
  }
  for (const statement of props.AfterMigrations) await run(statement);
}

/** Retries while a paused Aurora Serverless v2 cluster resumes (up to about two minutes). */
async function whileResuming<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if ((e as Error).name !== "DatabaseResumingException" || attempt >= 12)
        throw e;
      await new Promise((resolve) => setTimeout(resolve, 10_000));
    }
  }
}
