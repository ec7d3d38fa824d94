import {
  BedrockRuntimeClient,
  InvokeModelCommand,
} from "@aws-sdk/client-bedrock-runtime";
import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  embedStep,
  failStep,
  prepareStep,
  writeStep,
  type DocumentRef,
  type StepDependencies,
} from "./aws-steps";
import { ensureCollection } from "../collections/collections";
import type { Database } from "../db/database";
import { EMBEDDING_DIMENSIONS } from "../db/migrations";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import { listStoredDocuments } from "../documents/documents";
import { LocalEmbedder } from "../embeddings/local-embedder";
import { BedrockEmbedder } from "../providers/bedrock";

// S3 and Bedrock cannot be reached here: these run the Lambda steps against the embedded Postgres
// with recorded AWS SDK responses (aws-sdk-client-mock): an in-memory bucket, and Titan's
// InvokeModel response shape with vectors from the local embedder.
const s3 = mockClient(S3Client);
const bedrock = mockClient(BedrockRuntimeClient);
const BUCKET = "sextant-uploads";
let objects: Map<string, Uint8Array>;
let store: OpenDatabase;
let bedrockCalls: number;
/** Bedrock answers ThrottlingException while this returns true (for the call number given). */
let throttle: (call: number) => boolean;

const local = new LocalEmbedder(EMBEDDING_DIMENSIONS);
const json = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
const throttled = () =>
  Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });

/** Ten reports of a few paragraphs each: several chunks per document. */
const DOCUMENTS = Array.from({ length: 10 }, (_doc, d) => ({
  key: `uploads/report ${d + 1}.txt`,
  text: Array.from(
    { length: 12 },
    (_, p) =>
      `Report ${d + 1}, section ${p + 1}. The harbour board counted ${d * 100 + p} ships this season, ` +
      "and the canal authority dredged the northern channel so that larger barges could pass. ".repeat(
        4,
      ),
  ).join("\n\n"),
}));

function deps(db: Database = store.db): StepDependencies {
  const client = new BedrockRuntimeClient({});
  return {
    db,
    s3: new S3Client({}),
    embedder: async () =>
      new BedrockEmbedder(
        "amazon.titan-embed-text-v2:0",
        EMBEDDING_DIMENSIONS,
        client,
      ),
  };
}

/** One document through the state machine's path: prepare → embed → write, or the catch step. */
async function ingestOne(d: StepDependencies, ref: DocumentRef) {
  try {
    const prepared = await prepareStep(d, ref);
    if (prepared.unchanged) return "unchanged";
    return (await writeStep(d, await embedStep(d, prepared))).outcome;
  } catch (e) {
    const err = e as Error;
    await failStep(d, {
      ...ref,
      error: {
        Error: err.name,
        Cause: JSON.stringify({
          errorType: err.name,
          errorMessage: err.message,
          trace: err.stack?.split("\n"),
        }),
      },
    });
    return "failed";
  }
}

async function chunkCopies(db: Database) {
  const { rows } = await db.query<{
    chunks: number;
    distinct_chunks: number;
    documents: number;
    ready: number;
  }>(
    `SELECT (SELECT count(*)::int FROM chunks) AS chunks,
            (SELECT count(*)::int FROM (SELECT DISTINCT document_id, content_hash FROM chunks) c) AS distinct_chunks,
            (SELECT count(*)::int FROM documents) AS documents,
            (SELECT count(*)::int FROM documents WHERE status = 'ready') AS ready`,
  );
  return rows[0];
}

beforeEach(async () => {
  store = await openDatabase(undefined, "");
  objects = new Map(
    DOCUMENTS.map((d) => [d.key, new TextEncoder().encode(d.text)]),
  );
  bedrockCalls = 0;
  throttle = () => false;
  s3.reset();
  bedrock.reset();
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
  bedrock.on(InvokeModelCommand).callsFake(async ({ body }) => {
    if (throttle(++bedrockCalls)) throw throttled();
    const { inputText } = JSON.parse(body as string) as { inputText: string };
    const [embedding] = await local.embed([inputText]);
    return { body: json({ embedding, inputTextTokenCount: 12 }) };
  });
});

afterEach(async () => {
  await store.close();
});

describe("ingestion Lambda steps (embedded Postgres; S3 and Bedrock as recorded AWS SDK responses)", () => {
  it("a batch that fails half-way and is retried ends with exactly one copy of every chunk", async () => {
    const d = deps();
    const refs = DOCUMENTS.map((doc) => ({
      bucket: BUCKET,
      key: doc.key,
      bulk: true,
    }));
    // Bedrock's quota runs out half-way through the batch, beyond the provider's own retries.
    const firstDocumentCalls = 50;
    throttle = (call) => call > firstDocumentCalls;
    const first = [];
    for (const ref of refs) first.push(await ingestOne(d, ref));
    expect(first).toContain("added");
    expect(first).toContain("failed");
    const failed = (
      await listStoredDocuments(store.db, { limit: 50 })
    ).items.filter((doc) => doc.status === "failed");
    expect(failed.length).toBe(first.filter((o) => o === "failed").length);
    expect(failed[0].error).toMatch(
      /unavailable after 3 attempts: Rate exceeded/,
    );

    // The retry (a redrive) runs the whole batch again with the quota back.
    throttle = () => false;
    const retry = [];
    for (const ref of refs) retry.push(await ingestOne(d, ref));
    expect(retry.filter((o) => o === "unchanged").length).toBe(
      first.filter((o) => o === "added").length,
    );
    expect(retry).not.toContain("failed");

    const counts = await chunkCopies(store.db);
    expect(counts.documents).toBe(10);
    expect(counts.ready).toBe(10);
    expect(counts.chunks).toBe(counts.distinct_chunks);
    const { rows } = await store.db.query<{ expected: number }>(
      "SELECT sum(chunk_count)::int AS expected FROM documents",
    );
    expect(counts.chunks).toBe(rows[0].expected);
  });

  it("a replacement whose write fails inside its transaction leaves the old version whole; the retry swaps it", async () => {
    const ref = { bucket: BUCKET, key: DOCUMENTS[0].key };
    await ingestOne(deps(), ref);
    const before = await chunkCopies(store.db);
    objects.set(
      ref.key,
      new TextEncoder().encode(
        `${DOCUMENTS[1].text}\n\nA new closing section.`,
      ),
    );

    // The database fails the statement that inserts the new chunks, after the old ones were deleted.
    let failOnce = true;
    const flaky: Database = {
      query: (text, params) => store.db.query(text, params),
      transaction: (work) =>
        store.db.transaction((tx) =>
          work({
            ...tx,
            query: (text, params) => {
              if (failOnce && text.includes("INSERT INTO chunks")) {
                failOnce = false;
                throw new Error("connection terminated unexpectedly");
              }
              return tx.query(text, params);
            },
          }),
        ),
    };
    expect(await ingestOne(deps(flaky), ref)).toBe("failed");
    expect(await chunkCopies(store.db)).toEqual(before);
    const [doc] = (await listStoredDocuments(store.db, { limit: 5 })).items;
    expect(doc.status).toBe("ready"); // the previous version stays searchable

    expect(await ingestOne(deps(flaky), ref)).toBe("updated");
    const after = await chunkCopies(store.db);
    expect(after.documents).toBe(1);
    expect(after.chunks).toBe(after.distinct_chunks);
    expect(after.chunks).not.toBe(before.chunks);
  });

  it("writes nothing for an object whose ready version has the same bytes", async () => {
    const ref = { bucket: BUCKET, key: DOCUMENTS[2].key };
    expect(await ingestOne(deps(), ref)).toBe("added");
    const puts = s3.commandCalls(PutObjectCommand).length;
    const calls = bedrockCalls;
    expect(await ingestOne(deps(), ref)).toBe("unchanged");
    expect(s3.commandCalls(PutObjectCommand).length).toBe(puts);
    expect(bedrockCalls).toBe(calls);
  });

  it("passes over folder markers and files that are not documents in a bulk prefix", async () => {
    for (const key of [
      "bulk/reports/",
      "bulk/reports/.DS_Store",
      "bulk/photo.png",
    ]) {
      const state = await prepareStep(deps(), {
        bucket: BUCKET,
        key,
        bulk: true,
      });
      expect(state).toMatchObject({
        unchanged: true,
        skipped: expect.stringMatching(/not a supported document/),
      });
    }
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it("reads a key that arrives URL-encoded, and names the document by its real key", async () => {
    const state = await prepareStep(deps(), {
      bucket: BUCKET,
      key: "uploads/report+3.txt",
    });
    expect(state.source).toBe(`s3://${BUCKET}/uploads/report 3.txt`);
  });

  it("shows a document as pending until written, and a failure's message without its stack trace", async () => {
    objects.set("uploads/broken.pdf", new TextEncoder().encode("not a pdf"));
    const pending = await prepareStep(deps(), {
      bucket: BUCKET,
      key: DOCUMENTS[3].key,
    });
    expect(
      (await listStoredDocuments(store.db, { limit: 5 })).items.map(
        (d) => d.status,
      ),
    ).toEqual(["pending"]);
    await writeStep(deps(), await embedStep(deps(), pending));

    expect(
      await ingestOne(deps(), { bucket: BUCKET, key: "uploads/broken.pdf" }),
    ).toBe("failed");
    const broken = (
      await listStoredDocuments(store.db, { limit: 5 })
    ).items.find((d) => d.source.endsWith("broken.pdf"))!;
    expect(broken.status).toBe("failed");
    expect(broken.error).toBeTruthy();
    expect(broken.error).not.toMatch(/\n|at .*\.ts/);
  });

  it("puts a document into the collection its key names (uploads/<collection>/…), and fails one naming no collection", async () => {
    const hr = await ensureCollection(store.db, "HR", { readGroups: ["HR"] });
    const key = `uploads/${hr.id}/handbook.txt`;
    objects.set(key, new TextEncoder().encode(DOCUMENTS[0].text));
    expect(await ingestOne(deps(), { bucket: BUCKET, key })).toBe("added");
    const GHOST = "ffffffff-ffff-4fff-8fff-ffffffffffff";
    const ghost = `uploads/${GHOST}/handbook.txt`;
    objects.set(ghost, new TextEncoder().encode(DOCUMENTS[1].text));
    expect(await ingestOne(deps(), { bucket: BUCKET, key: ghost })).toBe(
      "failed",
    );
    const { items } = await listStoredDocuments(store.db, { limit: 5 });
    expect(
      items.map((d) => [
        d.source.split("/").slice(-2).join("/"),
        d.collectionName,
        d.status,
      ]),
    ).toEqual(
      [
        [`${hr.id}/handbook.txt`, "HR", "ready"],
        [`${GHOST}/handbook.txt`, "General", "failed"],
      ].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    );
    expect(items.find((d) => d.status === "failed")!.error).toMatch(
      /names collection .* which does not exist/,
    );
  });
});
