import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import {
  connectPostgres,
  getStoredDocument,
  listStoredDocuments,
} from "@sextant/core/store";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The ingestion state machine's Lambda entry points (infra/src/lambda/ingest-steps.ts), called as
// the state machine calls them: their own connection from DATABASE_URL (a real Postgres — PGlite
// behind its socket server — instead of Aurora with IAM authentication), the configured embedder
// (the offline one), and S3 as recorded AWS SDK responses (it cannot be reached here).
const s3 = mockClient(S3Client);
const BUCKET = "sextant-uploads";
const objects = new Map<string, Uint8Array>();
let pglite: PGlite;
let server: PGLiteSocketServer;
let store: Awaited<ReturnType<typeof connectPostgres>>;
let steps: typeof import("../src/lambda/ingest-steps");

beforeAll(async () => {
  pglite = await PGlite.create({ extensions: { vector } });
  // Two connections: this test's and the entry points' own.
  server = new PGLiteSocketServer({
    db: pglite,
    host: "127.0.0.1",
    port: 0,
    maxConnections: 2,
  });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  // Migrated as the schema custom resource does before any step runs.
  store = await connectPostgres(url, { max: 1 });
  vi.stubEnv("DATABASE_URL", url);
  vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "true");
  steps = await import("../src/lambda/ingest-steps");
  s3.on(GetObjectCommand).callsFake(({ Key }: { Key: string }) => {
    const bytes = objects.get(Key);
    if (!bytes)
      throw new NoSuchKey({
        message: "The specified key does not exist.",
        $metadata: {},
      });
    return { Body: { transformToByteArray: async () => bytes } };
  });
  s3.on(PutObjectCommand).callsFake(
    ({ Key, Body }: { Key: string; Body: string | Uint8Array }) => {
      objects.set(
        Key,
        typeof Body === "string" ? new TextEncoder().encode(Body) : Body,
      );
      return {};
    },
  );
}, 60_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  s3.restore();
  await store?.close();
  await server?.stop();
  await pglite?.close();
});

describe("the ingestion Lambda entry points (a real Postgres over TCP; S3 as recorded AWS SDK responses)", () => {
  it("prepare, embed and write store an upload as the state machine passes it along; finish refreshes the ranking statistics", async () => {
    const key = "uploads/harbour.md";
    objects.set(
      key,
      new TextEncoder().encode(
        "# Harbour\n\nThe harbour board dredged the northern channel for larger barges.",
      ),
    );
    // Step Functions hands each step the previous one's output (payloadResponseOnly).
    const prepared = await steps.prepare({ bucket: BUCKET, key });
    expect(prepared).toMatchObject({
      source: key,
      unchanged: false,
    });
    const embedded = await steps.embed(JSON.parse(JSON.stringify(prepared)));
    const written = await steps.write(JSON.parse(JSON.stringify(embedded)));
    expect(written).toEqual({
      source: key,
      outcome: "added",
      chunks: expect.any(Number),
    });
    expect(written.chunks).toBeGreaterThan(0);
    const { items } = await listStoredDocuments(store.db, { limit: 10 });
    expect(items).toEqual([
      expect.objectContaining({ status: "ready", chunkCount: written.chunks }),
    ]);
    expect(await steps.finish()).toEqual({ refreshed: true });
    // The same object again: prepare says so, and nothing else runs.
    expect(await steps.prepare({ bucket: BUCKET, key })).toMatchObject({
      unchanged: true,
    });
  });

  it("fail records a recorded Catch output's reason — the Lambda's errorMessage, without type or stack — and returns it for the dead-letter queue", async () => {
    const key = "uploads/broken.pdf";
    // A Task state's Catch with ResultPath "$.error" adds the error output ({ Error, Cause }) to
    // the state's input; for a Lambda function error, Cause is the function's error as JSON
    // (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
    const caught = {
      bucket: BUCKET,
      key,
      error: {
        Error: "InvalidInputError",
        Cause: JSON.stringify({
          errorType: "InvalidInputError",
          errorMessage: "broken.pdf: the PDF has no text layer",
          trace: [
            "InvalidInputError: broken.pdf: the PDF has no text layer",
            "    at extractPdf (/var/task/index.js:1:2345)",
            "    at async prepareStep (/var/task/index.js:1:6789)",
          ],
        }),
      },
    };
    const failure = await steps.fail(caught);
    expect(failure).toEqual({
      source: key,
      error: "broken.pdf: the PDF has no text layer",
    });
    const { items } = await listStoredDocuments(store.db, { limit: 10 });
    const failed = items.find((d) => d.source === failure.source)!;
    expect(failed).toMatchObject({ status: "failed" });
    const stored = await getStoredDocument(store.db, failed.id);
    expect(stored.error).toBe("broken.pdf: the PDF has no text layer");
    expect(JSON.stringify(stored)).not.toContain("/var/task");

    // Step Functions' own failures have a plain-text cause (a state timeout, say).
    expect(
      await steps.fail({
        bucket: BUCKET,
        key: "uploads/slow.txt",
        error: { Error: "States.Timeout", Cause: "State timed out" },
      }),
    ).toEqual({
      source: "uploads/slow.txt",
      error: "States.Timeout: State timed out",
    });
  });
});
