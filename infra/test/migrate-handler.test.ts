import {
  BeginTransactionCommand,
  CommitTransactionCommand,
  ExecuteStatementCommand,
  RDSDataClient,
  RollbackTransactionCommand,
} from "@aws-sdk/client-rds-data";
import { mockClient } from "aws-sdk-client-mock";
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
} from "vitest";
import { schemaResourceEndpoint } from "./custom-resource";
import { handler, type MigrateProperties } from "../src/lambda/migrate";

// The Data API cannot be reached here: these run against recorded RDS Data API responses
// (aws-sdk-client-mock); CloudFormation's response URL is a local HTTP server.
const rdsData = mockClient(RDSDataClient);
let endpoint: Awaited<ReturnType<typeof schemaResourceEndpoint>>;
const responses = () => endpoint.responses;

beforeAll(async () => {
  endpoint = await schemaResourceEndpoint();
});
afterAll(() => endpoint.close());
beforeEach(() => {
  rdsData.reset();
  endpoint.responses.length = 0;
  rdsData.on(BeginTransactionCommand).resolves({ transactionId: "tx-1" });
  rdsData.on(CommitTransactionCommand).resolves({});
  rdsData.on(RollbackTransactionCommand).resolves({});
});

const properties: MigrateProperties = {
  ResourceArn: "arn:aws:rds:eu-west-1:111111111111:cluster:c",
  SecretArn: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:s",
  Database: "sextant",
  Migrations: [
    {
      id: "0001_initial",
      statements: ["CREATE TABLE a (x int)", "CREATE TABLE b (y int)"],
      after: "VACUUM ANALYZE a",
    },
    {
      id: "0002_more",
      statements: ["CREATE TABLE c (z int)"],
      after: "VACUUM ANALYZE c",
    },
  ],
  AfterMigrations: ["GRANT rds_iam TO sextant_app"],
};
const event = (RequestType: "Create" | "Update" | "Delete") =>
  endpoint.event(RequestType, properties);
const sqlRun = () =>
  rdsData.commandCalls(ExecuteStatementCommand).map((c) => c.args[0].input.sql);

describe("the schema migration custom resource (recorded RDS Data API responses)", () => {
  it("applies the migrations not yet recorded, each in a transaction with its record, then the grants", async () => {
    // The generic behaviour first: aws-sdk-client-mock lets the input-specific ones after it win.
    rdsData.on(ExecuteStatementCommand).resolves({});
    rdsData
      .on(ExecuteStatementCommand, {
        sql: "SELECT 1 FROM schema_migrations WHERE id = :id",
      })
      .callsFake((input) => ({
        records:
          input.parameters[0].value.stringValue === "0001_initial"
            ? [[{ longValue: 1 }]]
            : [],
      }));
    await handler(event("Create"));
    expect(responses()).toEqual([
      expect.objectContaining({ Status: "SUCCESS" }),
    ]);
    expect(sqlRun()).not.toContain("CREATE TABLE a (x int)");
    expect(sqlRun()).toContain("CREATE TABLE c (z int)");
    expect(sqlRun().at(-1)).toBe("GRANT rds_iam TO sextant_app");
    expect(rdsData.commandCalls(CommitTransactionCommand)).toHaveLength(2);
    // A migration's VACUUM runs after its commit, outside the transaction, and only once applied.
    const vacuum = rdsData
      .commandCalls(ExecuteStatementCommand)
      .find((c) => c.args[0].input.sql === "VACUUM ANALYZE c");
    expect(vacuum?.args[0].input.transactionId).toBeUndefined();
    expect(sqlRun()).not.toContain("VACUUM ANALYZE a");
  });

  it("rolls a failing migration back and reports FAILED with the reason", async () => {
    rdsData.on(ExecuteStatementCommand).resolves({});
    rdsData
      .on(ExecuteStatementCommand, {
        sql: "SELECT 1 FROM schema_migrations WHERE id = :id",
      })
      .resolves({ records: [] });
    rdsData
      .on(ExecuteStatementCommand, { sql: "CREATE TABLE b (y int)" })
      .rejects(new Error("relation b already exists"));
    await handler(event("Update"));
    expect(responses()[0]).toMatchObject({
      Status: "FAILED",
      Reason: expect.stringContaining("relation b already exists"),
    });
    expect(rdsData.commandCalls(RollbackTransactionCommand)).toHaveLength(1);
    expect(rdsData.commandCalls(CommitTransactionCommand)).toHaveLength(0);
  });

  it("waits for a paused cluster to resume", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    try {
      const resuming = Object.assign(new Error("resuming"), {
        name: "DatabaseResumingException",
      });
      rdsData
        .on(ExecuteStatementCommand)
        .rejectsOnce(resuming)
        .resolves({ records: [[{ longValue: 1 }]] });
      const done = handler(event("Create"));
      await vi.advanceTimersByTimeAsync(10_000);
      await done;
      expect(responses()[0].Status).toBe("SUCCESS");
    } finally {
      vi.useRealTimers();
    }
  });

  it("keeps the data when the resource is deleted", async () => {
    await handler(event("Delete"));
    expect(responses()[0].Status).toBe("SUCCESS");
    expect(rdsData.calls()).toHaveLength(0);
  });
});
