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
const textOnly = {
  k: 5,
  vectorWeight: 0,
  textWeight: 1,
  rrfK: 60,
  collections: "all" as const,
};
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
  await addChunks("harbour", "Ships and their keeper left the harbour.", 1);
  await addChunks("doc-a", "The acquisition of Louisiana was completed.", 1);
  await addChunks("doc-b", "Louisiana votes on Tuesday.", 1);
  // "Challenger" and "challenges" share the English stem "challeng".
  await addChunks("shuttle", "The Challenger was mourned.", 1);
  await addChunks("tasks", "New challenges face the crew.", 3);
  // Words of one question: "phrase" has three of them as the question has them, "scattered" four apart.
  await addChunks("phrase", "We won the cold war.", 1);
  await addChunks(
    "scattered",
    "The cold settled; America counted the war dead and won.",
    1,
  );
  // Three words related in meaning to "sixty" (eighty, seventy, fifty) against "sixty" itself.
  await addChunks(
    "doc-related",
    "Airplanes and tanks: eighty, seventy, fifty.",
    1,
  );
  await addChunks("doc-own", "Airplanes and tanks, sixty.", 1);
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

  it("takes the rarest word alone when it is rare enough, and fills k from one document", async () => {
    // All three passages of the one document that holds it (one per document comes first).
    expect(await titlesFor("lighthouse prices")).toEqual([
      "rare",
      "rare",
      "rare",
    ]);
  });

  it("ranks one passage of each document before a second of any", async () => {
    const results = await retrieveHybrid(
      store.db,
      embedder,
      "lighthouse keeper counted ships",
      { ...textOnly, k: 3 },
    );
    // Each "rare" passage holds all four words, "harbour" two; by score alone all three are "rare".
    expect(results.map((r) => r.title)).toEqual(["rare", "harbour", "rare"]);
  });

  it("ranks a passage with words of the question as the question has them first", async () => {
    // "scattered" holds "America" too; "phrase" holds "won the cold war".
    expect(await titlesFor("Who said America won the cold war?")).toEqual([
      "phrase",
      "scattered",
    ]);
  });

  it("counts each word of the question once through the words related to it", async () => {
    // Counted each, the three related words (3 × 0.45) would outweigh "sixty" itself.
    expect(await titlesFor("sixty airplanes tanks")).toEqual([
      "doc-own",
      "doc-related",
    ]);
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

describe("retrieveHybrid's prepared statements (embedded Postgres)", () => {
  it("prepares the search once per connection, with its own name when filtered", async () => {
    await titlesFor("lighthouse keeper");
    // Under one name, the filtered text would be refused as "used for a different statement".
    expect(
      await titlesFor("keeper ships", {
        ...textOnly,
        filter: { sourcePrefix: "harbour" },
      }),
    ).toEqual(["harbour"]);
    await titlesFor("grain barley");
    const { rows } = await store.db.query<{ name: string }>(
      "SELECT name FROM pg_prepared_statements ORDER BY name",
    );
    expect(rows.map((r) => r.name)).toEqual([
      "retrieve_hybrid",
      "retrieve_hybrid_filtered",
    ]);
  });
});
