import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  RAREST_ALONE_MAX_CHUNKS,
  retrieveHybrid,
  type RetrievalOptions,
} from "./retrieve-hybrid";
import { toVector } from "../db/database";
import { refreshLexemeStats } from "../db/migrations";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import { LocalEmbedder } from "../embeddings/local-embedder";

const embedder = new LocalEmbedder();
/** The full-text leg alone, so the test sees its candidates. */
const textOnly = { k: 5, vectorWeight: 0, textWeight: 1, rrfK: 60 };
/** More chunks than RAREST_ALONE_MAX_CHUNKS hold each common word. */
const COMMON = RAREST_ALONE_MAX_CHUNKS + 100;
let store: OpenDatabase;

/** Inserts `count` chunks of one text into a document of that name (SQL, not the ingest path: thousands in a second). */
async function addChunks(title: string, text: string, count: number) {
  const [embedding] = await embedder.embed([text]);
  await store.db.query(
    `WITH d AS (INSERT INTO documents (source, title, content_hash) VALUES ($1, $1, $1) RETURNING id)
     INSERT INTO chunks (document_id, ordinal, content, content_hash, embedding, tsv)
     SELECT d.id, n, $2, md5($2 || n), $3, chunk_tsv($1, $2)
     FROM d, generate_series(1, $4) n`,
    [title, text, toVector(embedding), count],
  );
}

beforeAll(async () => {
  store = await openDatabase(undefined, "");
  await addChunks("grain", "Grain prices rose this year.", COMMON);
  await addChunks("barley", "Barley prices fell this year.", COMMON);
  await addChunks("both", "Grain and barley shipments doubled.", 1);
  await addChunks("rare", "The lighthouse keeper counted ships.", 3);
  await addChunks("doc-a", "The acquisition of Louisiana was completed.", 1);
  await addChunks("doc-b", "Louisiana votes on Tuesday.", 1);
  // "Challenger" and "challenges" share the English stem "challeng".
  await addChunks("shuttle", "The Challenger was mourned.", 1);
  await addChunks("tasks", "New challenges face the crew.", 3);
  // Filler, so that no common word is in over a quarter of all chunks (left out as uninformative).
  await addChunks("tuesday", "Rain is expected on Tuesday.", COMMON);
  await addChunks("filler", "Wind is expected at noon.", 2 * COMMON);
  await refreshLexemeStats(store.db);
}, 120_000);

/** Titles of the documents of the passages found, best first. */
const titlesFor = async (query: string, options: RetrievalOptions = textOnly) =>
  (await retrieveHybrid(store.db, embedder, query, options)).map(
    (r) => r.title,
  );

afterAll(async () => {
  await store?.close();
});

describe("retrieveHybrid's full-text candidates at scale (embedded Postgres)", () => {
  it("takes passages with two of the question's words when each word alone is in too many chunks", async () => {
    // Under "any of the words" the top 5 would fill with grain-only and barley-only passages.
    expect(await titlesFor("grain barley")).toEqual(["both"]);
  });

  it("takes the rarest word alone when it is rare enough", async () => {
    expect(await titlesFor("lighthouse prices")).toEqual(["rare", "rare"]);
  });

  it("ranks a passage with a word related in meaning above one with another, common word of the question", async () => {
    // Both hold "Louisiana"; doc-b also "Tuesday" (common, so worth little), doc-a "acquisition",
    // which is related to "purchase" (similarity 0.79) and rare.
    const question = "purchase of Louisiana on Tuesday";
    expect(await titlesFor(question)).toEqual(["doc-a", "doc-b"]);
    expect(
      await titlesFor(question, { ...textOnly, relatedWordWeight: 0 }),
    ).toEqual(["doc-b", "doc-a"]);
  });

  it("keeps a capitalised word the stemmer would fold as written: the Challenger, not challenges", async () => {
    // By stems alone, the "tasks" passages hold both words of the question and come first.
    expect((await titlesFor("What was said of the Challenger crew?"))[0]).toBe(
      "shuttle",
    );
  });

  it("takes a capitalised word at the start of a question as an ordinary word", async () => {
    expect(await titlesFor("Challenges ahead?")).toContain("tasks");
  });

  it("takes a common word alone when it is the question's only word", async () => {
    const results = await retrieveHybrid(store.db, embedder, "grain", textOnly);
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => /grain/i.test(r.text))).toBe(true);
  });
});
