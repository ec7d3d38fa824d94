import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  READABLE_VECTOR_CANDIDATES,
  retrievalParameters,
  retrieveHybrid,
  type RetrievalOptions,
} from "./retrieve-hybrid";
import { ensureCollection } from "../collections/collections";
import { toVector } from "../db/database";
import { refreshLexemeStats } from "../db/migrations";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import { LocalEmbedder } from "../embeddings/local-embedder";

// Retrieval inside the caller's collections: the filter is in both legs, before ranking, so k,
// fusion and the one-passage-per-document rule only ever see readable passages.
const embedder = new LocalEmbedder();
const both = { k: 5, vectorWeight: 1, textWeight: 1, rrfK: 60 };
let store: OpenDatabase;
let open: string;
let secret: string;

/** `count` documents of one text in a collection (SQL: hundreds in a second), each one chunk. */
async function addDocuments(
  collectionId: string,
  name: string,
  text: string,
  count: number,
) {
  const [embedding] = await embedder.embed([text]);
  await store.db.query(
    `WITH d AS (INSERT INTO documents (source, title, content_hash, collection_id)
                SELECT $1 || n, $1 || n, $1 || n, $4 FROM generate_series(1, $5) n RETURNING id)
     INSERT INTO chunks (document_id, ordinal, content, content_hash, embedding, tsv)
     SELECT d.id, 0, $2, md5($2), $3, chunk_tsv($1, $2) FROM d`,
    [name, text, toVector(embedding), collectionId, count],
  );
}

const search = (query: string, options: Partial<RetrievalOptions>) =>
  retrieveHybrid(store.db, embedder, query, {
    ...both,
    collections: "all",
    ...options,
  });

beforeAll(async () => {
  store = await openDatabase(undefined, "");
  open = (await ensureCollection(store.db, "Open", { everyone: true })).id;
  secret = (await ensureCollection(store.db, "Secret", { readGroups: ["HR"] }))
    .id;
  // The secret passages match the question best, and there are many of them: unfiltered, they
  // would fill every place, and the vector index's first candidates are all theirs.
  await addDocuments(
    secret,
    "salary",
    "The lighthouse keeper salary review lists every salary of the harbour staff.",
    300,
  );
  await addDocuments(
    open,
    "notice",
    "The lighthouse keeper posted a notice about the harbour hours.",
    8,
  );
  await refreshLexemeStats(store.db);
}, 120_000);

afterAll(() => store?.close());

describe("retrieval within the caller's collections", () => {
  const question = "lighthouse keeper salary of the harbour staff";

  it("unfiltered (local tools only), the other collection's passages come first", async () => {
    const results = await search(question, {});
    expect(results.every((r) => r.title.startsWith("salary"))).toBe(true);
  });

  it("returns only readable passages, and still k of them: the filter runs before ranking", async () => {
    const results = await search(question, { collections: [open] });
    expect(results.map((r) => r.title.replace(/\d+$/, ""))).toEqual(
      Array(5).fill("notice"),
    );
    // One passage per document: five documents, not one document five times.
    expect(new Set(results.map((r) => r.documentId)).size).toBe(5);
  });

  it("fills k from the vector leg alone too, past 300 nearer forbidden passages", async () => {
    const results = await search(question, {
      collections: [open],
      textWeight: 0,
    });
    expect(results).toHaveLength(5);
    expect(results.every((r) => r.title.startsWith("notice"))).toBe(true);
  });

  it("returns nothing to a caller who may read no collection (fails closed)", async () => {
    expect(await search(question, { collections: [] })).toEqual([]);
    expect(await search(question, { collections: [], textWeight: 0 })).toEqual(
      [],
    );
  });

  it("reads as unfiltered for a caller granted every collection, given as many candidates", async () => {
    const ids = async (options: Partial<RetrievalOptions>) =>
      (await search(question, { k: 10, candidates: 50, ...options })).map(
        (r) => r.chunkId,
      );
    expect(await ids({ collections: [open, secret] })).toEqual(await ids({}));
  });

  it("asks the vector leg for fewer candidates within collections (its cost grows with candidates ÷ the readable share)", () => {
    const base = { k: 5, vectorWeight: 1, textWeight: 1, rrfK: 60 };
    const of = (options: Partial<RetrievalOptions>) =>
      retrievalParameters([0], "q", {
        ...base,
        collections: "all",
        ...options,
      });
    expect(of({})).toMatchObject({ candidates: 50, vectorCandidates: 50 });
    expect(of({ collections: [open] })).toMatchObject({
      candidates: 50,
      vectorCandidates: READABLE_VECTOR_CANDIDATES,
    });
    expect(of({ collections: [open], k: 10 })).toMatchObject({
      vectorCandidates: 40,
    });
    expect(of({ collections: [open], candidates: 30 })).toMatchObject({
      vectorCandidates: 30,
    });
  });
});
