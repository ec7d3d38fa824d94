import { createHash } from "node:crypto";
import {
  BedrockRuntimeClient,
  InvokeModelCommand,
} from "@aws-sdk/client-bedrock-runtime";
import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import {
  GetDocumentTextDetectionCommand,
  TextractClient,
  type GetDocumentTextDetectionCommandOutput,
} from "@aws-sdk/client-textract";
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
import { createS3Source, listSources } from "../sources/document-sources";
import { onSourceObjectEvent, syncS3Sources } from "../sources/s3-sync";
import {
  pdfFixture,
  scannedPage,
  scannedPdf,
} from "../testing/format-fixtures";

// S3 and Bedrock cannot be reached here: these run the Lambda steps against the embedded Postgres
// with recorded AWS SDK responses (aws-sdk-client-mock): an in-memory bucket, and Titan's
// InvokeModel response shape with vectors from the local embedder.
const s3 = mockClient(S3Client);
const bedrock = mockClient(BedrockRuntimeClient);
const textract = mockClient(TextractClient);
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
    textract: () => new TextractClient({}),
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
  textract.reset();
  s3.on(GetObjectCommand).callsFake(({ Key }: { Key: string }) => {
    const bytes = objects.get(Key);
    if (!bytes)
      throw new NoSuchKey({
        message: "The specified key does not exist.",
        $metadata: {},
      });
    return {
      Body: { transformToByteArray: async () => bytes },
      ETag: `"${createHash("md5").update(bytes).digest("hex")}"`,
    };
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
      "bulk/archive.zip",
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
    expect(state.source).toBe("uploads/report 3.txt");
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

describe("scanned pages on AWS: Textract's asynchronous text detection (recorded responses in the documented shape)", () => {
  /** GetDocumentTextDetection's answer: PAGE, LINE and WORD blocks, paged with NextToken. */
  const detection = (
    page: number,
    lines: string[],
    nextToken?: string,
  ): Partial<GetDocumentTextDetectionCommandOutput> => ({
    JobStatus: "SUCCEEDED",
    DocumentMetadata: { Pages: 2 },
    Blocks: [
      { BlockType: "PAGE" as const, Page: page, Id: `p${page}` },
      ...lines.flatMap((text, i) => [
        {
          BlockType: "LINE" as const,
          Page: page,
          Id: `l${page}-${i}`,
          Text: text,
          Confidence: 99.1,
        },
        ...text.split(" ").map((word, j) => ({
          BlockType: "WORD" as const,
          Page: page,
          Id: `w${page}-${i}-${j}`,
          Text: word,
        })),
      ]),
    ],
    ...(nextToken ? { NextToken: nextToken } : {}),
  });

  it("prepare asks for OCR and stages nothing; prepared again with the job, it takes Textract's text for the scanned pages only", async () => {
    const { PDFDocument } = await import("pdf-lib");
    // Page 1 has a text layer; page 2 is a scan.
    const mixed = await PDFDocument.create();
    const [typed] = await mixed.copyPages(
      await PDFDocument.load(
        await pdfFixture("The typed cover page of the survey."),
      ),
      [2],
    );
    mixed.addPage(typed);
    const [scan] = await mixed.copyPages(
      await PDFDocument.load(
        await scannedPdf([await scannedPage(["A scanned page"])]),
      ),
      [0],
    );
    mixed.addPage(scan);
    objects.set("uploads/survey.pdf", await mixed.save());
    const ref = { bucket: BUCKET, key: "uploads/survey.pdf" };

    const first = await prepareStep(deps(), ref);
    expect(first).toMatchObject({ needsOcr: true, unchanged: false });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(textract.commandCalls(GetDocumentTextDetectionCommand)).toHaveLength(
      0,
    );

    textract
      .on(GetDocumentTextDetectionCommand, {
        JobId: "job-1",
        NextToken: undefined,
      })
      .resolves(detection(1, ["Textract read the cover too"], "t2"))
      .on(GetDocumentTextDetectionCommand, { JobId: "job-1", NextToken: "t2" })
      .resolves(
        detection(2, ["Seals hauled out on the sandbank", "at low water."]),
      );
    const prepared = await prepareStep(deps(), {
      ...ref,
      ocr: { jobId: "job-1" },
    });
    expect(prepared.needsOcr).toBeUndefined();
    expect(textract.commandCalls(GetDocumentTextDetectionCommand)).toHaveLength(
      2,
    );
    expect(
      await writeStep(deps(), await embedStep(deps(), prepared)),
    ).toMatchObject({ outcome: "added" });
    const { rows } = await store.db.query<{
      content: string;
      location: unknown;
    }>("SELECT content, location FROM chunks ORDER BY ordinal");
    // The text layer stays the text of page 1; Textract's is used for the scan alone.
    expect(rows).toEqual([
      {
        content: expect.stringContaining("typed cover page"),
        location: { page: 1 },
      },
      {
        content: "Seals hauled out on the sandbank at low water.",
        location: { page: 2 },
      },
    ]);
    const [doc] = (
      await listStoredDocuments(store.db, { limit: 5 })
    ).items.filter((d) => d.source === "uploads/survey.pdf");
    expect(doc).toMatchObject({ ocrPages: 1, pages: 2 });
  });

  it("a job that failed fails the step, naming its status and message", async () => {
    objects.set("uploads/scan.png", await scannedPage(["Nothing"]));
    textract.on(GetDocumentTextDetectionCommand).resolves({
      JobStatus: "FAILED",
      StatusMessage: "Unsupported document format",
    });
    const outcome = await ingestOne(deps(), {
      bucket: BUCKET,
      key: "uploads/scan.png",
      ocr: { jobId: "job-2" },
    } as DocumentRef);
    expect(outcome).toBe("failed");
    const { rows } = await store.db.query<{ error: string }>(
      "SELECT error FROM documents WHERE source = 'uploads/scan.png'",
    );
    expect(rows[0].error).toBe(
      "Text detection job-2 ended FAILED: Unsupported document format.",
    );
  });
});

describe("S3 sources kept in sync (embedded Postgres; S3 as recorded ListObjectsV2 and GetObject responses)", () => {
  const SOURCE_BUCKET = "acme-policies";
  /** ListObjectsV2 over the in-memory objects under a prefix, two keys a page (ContinuationToken). */
  function listing() {
    s3.on(ListObjectsV2Command).callsFake(
      ({
        Prefix,
        ContinuationToken,
      }: {
        Prefix: string;
        ContinuationToken?: string;
      }) => {
        const keys = [...objects.keys()]
          .filter((k) => k.startsWith(Prefix))
          .sort();
        const from = Number(ContinuationToken ?? 0);
        const page = keys.slice(from, from + 2);
        return {
          Contents: page.map((Key) => ({
            Key,
            ETag: `"${createHash("md5").update(objects.get(Key)!).digest("hex")}"`,
            Size: objects.get(Key)!.length,
          })),
          IsTruncated: from + 2 < keys.length,
          ...(from + 2 < keys.length
            ? { NextContinuationToken: String(from + 2) }
            : {}),
        };
      },
    );
  }
  const put = (key: string, text: string) =>
    objects.set(key, new TextEncoder().encode(text));

  it("ingests new and changed objects into the source's collection, skips unchanged ones by ETag, removes documents whose object is gone, and records each sync", async () => {
    listing();
    const hr = await ensureCollection(store.db, "HR policies", {
      readGroups: ["HR"],
    });
    await createS3Source(
      store.db,
      "admin",
      {
        name: "hr-policies",
        bucket: SOURCE_BUCKET,
        prefix: "hr/",
        collectionId: hr.id,
      },
      [SOURCE_BUCKET],
    );
    put(
      "hr/leave.txt",
      "Annual leave is twenty-five days, carried over up to five.",
    );
    put(
      "hr/travel/expenses.md",
      "# Travel\n\nEconomy class for flights under six hours.",
    );
    put("hr/", "");
    put("other/ignored.txt", "Not under the source's prefix.");
    const started: { bucket: string; key: string }[] = [];
    // The state machine's path for each object it is handed: prepare → embed → write.
    const sync = () =>
      syncS3Sources({
        db: store.db,
        s3: new S3Client({}),
        startIngestion: async (object) => {
          started.push(object);
          const d = { ...deps(), uploadBucket: BUCKET };
          const prepared = await prepareStep(d, object);
          if (!prepared.unchanged)
            await writeStep(d, await embedStep(d, prepared));
        },
      });

    expect(await sync()).toEqual({
      "hr-policies": { started: 2, unchanged: 0, removed: 0 },
    });
    expect(started.map((o) => o.key)).toEqual([
      "hr/leave.txt",
      "hr/travel/expenses.md",
    ]);
    const { rows } = await store.db.query<{
      source: string;
      collection_id: string;
      origin: string;
    }>("SELECT source, collection_id, origin FROM documents ORDER BY source");
    expect(rows).toEqual([
      {
        source: "hr-policies/leave.txt",
        collection_id: hr.id,
        origin: "s3://acme-policies/hr/leave.txt",
      },
      {
        source: "hr-policies/travel/expenses.md",
        collection_id: hr.id,
        origin: "s3://acme-policies/hr/travel/expenses.md",
      },
    ]);
    // Staging went to the upload bucket, never to the source's.
    expect(
      s3
        .commandCalls(PutObjectCommand)
        .every((c) => c.args[0].input.Bucket === BUCKET),
    ).toBe(true);

    started.length = 0;
    expect(await sync()).toEqual({
      "hr-policies": { started: 0, unchanged: 2, removed: 0 },
    });

    put("hr/leave.txt", "Annual leave is thirty days from 2027.");
    objects.delete("hr/travel/expenses.md");
    expect(await sync()).toEqual({
      "hr-policies": { started: 1, unchanged: 0, removed: 1 },
    });
    const [source] = await listSources(store.db, "s3");
    expect(source).toMatchObject({
      name: "hr-policies",
      bucket: SOURCE_BUCKET,
      prefix: "hr/",
      collectionName: "HR policies",
      documents: 1,
      failures: [],
      lastSync: { started: 1, unchanged: 0, removed: 1 },
    });
    expect(source.lastSyncAt).toBeInstanceOf(Date);
    const { rows: text } = await store.db.query<{ content: string }>(
      "SELECT c.content FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.source = 'hr-policies/leave.txt'",
    );
    expect(text.map((r) => r.content)).toEqual([
      "Annual leave is thirty days from 2027.",
    ]);

    // S3 events: a created object starts its ingestion, a deleted one's document goes; others are ignored.
    const events = {
      db: store.db,
      s3: new S3Client({}),
      startIngestion: async (o: { bucket: string; key: string }) =>
        void started.push(o),
    };
    const event = (
      type: "Object Created" | "Object Deleted",
      key: string,
      bucket = SOURCE_BUCKET,
    ) =>
      onSourceObjectEvent(events, {
        "detail-type": type,
        detail: { bucket: { name: bucket }, object: { key } },
      });
    expect(await event("Object Created", "hr/new.txt")).toBe("started");
    expect(await event("Object Created", "finance/q3.txt")).toBe("ignored");
    expect(await event("Object Created", "hr/new.txt", "another-bucket")).toBe(
      "ignored",
    );
    expect(await event("Object Deleted", "hr/leave.txt")).toBe("removed");
    expect((await listSources(store.db, "s3"))[0].documents).toBe(0);
    const { rows: audit } = await store.db.query<{
      actor: string;
      target: string;
    }>(
      "SELECT actor, target FROM audit_log WHERE action = 'document.delete' ORDER BY id",
    );
    expect(audit).toEqual([
      { actor: "source:hr-policies", target: "hr-policies/travel/expenses.md" },
      { actor: "source:hr-policies", target: "hr-policies/leave.txt" },
    ]);
  });

  it("an object of another bucket under no registered prefix is passed over, never ingested", async () => {
    put("stray/notes.txt", "Stray.");
    const state = await prepareStep(
      { ...deps(), uploadBucket: BUCKET },
      { bucket: SOURCE_BUCKET, key: "stray/notes.txt" },
    );
    expect(state).toMatchObject({
      unchanged: true,
      skipped: "not under a registered source's prefix",
    });
  });

  it("registers only buckets the deployment may read, names once, and existing collections (400 naming the field)", async () => {
    const general = await ensureCollection(store.db, "Board", {
      everyone: true,
    });
    const request = {
      name: "board",
      bucket: SOURCE_BUCKET,
      prefix: "board/",
      collectionId: general.id,
    };
    const fieldOf = (e: unknown) =>
      (e as { fields: { path: string }[] }).fields[0].path;
    expect(
      fieldOf(
        await createS3Source(store.db, "admin", request, [
          "other-bucket",
        ]).catch((e) => e),
      ),
    ).toBe("bucket");
    await createS3Source(store.db, "admin", request, [SOURCE_BUCKET]);
    expect(
      fieldOf(
        await createS3Source(store.db, "admin", { ...request, prefix: "b2/" }, [
          SOURCE_BUCKET,
        ]).catch((e) => e),
      ),
    ).toBe("name");
    expect(
      fieldOf(
        await createS3Source(
          store.db,
          "admin",
          {
            ...request,
            name: "board-2",
            prefix: "b3/",
            collectionId: "00000000-0000-4000-8000-00000000abcd",
          },
          [SOURCE_BUCKET],
        ).catch((e) => e),
      ),
    ).toBe("collectionId");
  });
});
