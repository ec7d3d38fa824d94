import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  retrievalParameters,
  retrievalStatement,
  type RetrievalFragment,
  type RetrievalOptions,
} from "./retrieve-hybrid";
import { toVector } from "../db/database";
import { refreshLexemeStats } from "../db/migrations";
import { withNamedParameters } from "../db/named-parameters";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import { LocalEmbedder } from "../embeddings/local-embedder";

// Each step of the retrieval statement, read on its own: the statement up to that fragment, on a
// small embedded corpus.
const embedder = new LocalEmbedder();
const OPTIONS: RetrievalOptions = {
  k: 5,
  vectorWeight: 1,
  textWeight: 1,
  rrfK: 60,
  collections: "all",
};
let store: OpenDatabase;

async function addChunks(
  title: string,
  text: string,
  count = 1,
  metadata = {},
) {
  const [embedding] = await embedder.embed([text]);
  await store.db.query(
    `WITH d AS (INSERT INTO documents (source, title, content_hash, metadata) VALUES ('/docs/' || $1, $1, $1, $5) RETURNING id)
     INSERT INTO chunks (document_id, ordinal, content, content_hash, embedding, tsv)
     SELECT d.id, n, $2, md5($2 || n), $3, chunk_tsv($1, $2) FROM d, generate_series(1, $4) n`,
    [title, text, toVector(embedding), count, JSON.stringify(metadata)],
  );
}

/** The rows of one fragment for a query. */
async function rowsOf(
  fragment: RetrievalFragment,
  query: string,
  options: RetrievalOptions = OPTIONS,
): Promise<any[]> {
  const [embedding] = await embedder.embed([query]);
  const params = retrievalParameters(embedding, query, options);
  const text = retrievalStatement(
    {
      filtered: Boolean(options.filter),
      readable: options.collections !== "all",
    },
    fragment,
  );
  // A prefix of the statement uses only some parameters: bind those.
  const used = Object.fromEntries(
    Object.entries(params).filter(([name]) =>
      new RegExp(`:${name}\\b`).test(text),
    ),
  );
  const statement = withNamedParameters(text, used);
  return (await store.db.query(statement.text, statement.values)).rows;
}

beforeAll(async () => {
  store = await openDatabase(undefined, "");
  await addChunks("canal", "The Erie canal carried grain to New York.", 2, {
    kind: "history",
  });
  await addChunks("shuttle", "The Challenger was mourned by the nation.");
  await addChunks("war", "We won the cold war.");
  await addChunks(
    "purchase",
    "The acquisition of Louisiana doubled the nation.",
  );
  await addChunks("filler", "Rain is expected at noon.", 40);
  await refreshLexemeStats(store.db);
});
afterAll(() => store?.close());

describe("the retrieval statement, fragment by fragment (embedded Postgres)", () => {
  it("q: the query's embedding", async () => {
    const [row] = await rowsOf("q", "Erie canal");
    expect(String(row.v).split(",")).toHaveLength(384);
  });

  it("allowed: only documents under the source prefix and with the metadata asked for", async () => {
    const ids = async (filter: RetrievalOptions["filter"]) =>
      (await rowsOf("allowed", "canal", { ...OPTIONS, filter })).length;
    expect(await ids({ sourcePrefix: "/docs/canal" })).toBe(1);
    expect(await ids({ metadata: { kind: "history" } })).toBe(1);
    expect(await ids({ sourcePrefix: "/elsewhere/" })).toBe(0);
  });

  it("pn and ql: a capitalised word stands as written, in place of its stem; other words are stemmed", async () => {
    const pn = await rowsOf("pn", "Was the Challenger mourned?");
    expect(pn).toEqual([{ word: "Challenger", stem: "challeng" }]);
    const ql = (await rowsOf("ql", "Was the Challenger mourned?"))
      .map((r) => r.lexeme)
      .sort();
    expect(ql).toEqual(["Challenger", "mourn"]);
  });

  it("terms, qterms and rterms: the question's words with their IDF, rarest first; related words apart; words in over a quarter of all chunks left out", async () => {
    const terms = await rowsOf("terms", "Erie canal at noon");
    expect(terms.map((t) => t.lexeme).sort()).toEqual(["canal", "eri"]);
    for (const t of terms) expect(Number(t.idf)).toBeGreaterThan(0);
    const qterms = await rowsOf("qterms", "Erie canal");
    expect(qterms.map((t) => Number(t.rarity))).toEqual([1, 2]);
    const rterms = await rowsOf(
      "rterms",
      "What was the purchase of Louisiana?",
    );
    expect(rterms.map((t) => t.lexeme)).toContain("acquisit");
    expect(rterms.every((t) => t.related && t.word === "purchase")).toBe(true);
  });

  it("pairs: neighbouring words of the question as a phrase, at their distance", async () => {
    const pairs = await rowsOf("pairs", "won the cold war");
    expect(pairs.map((p) => String(p.q)).sort()).toEqual([
      "'cold' <-> 'war'",
      "'won' <2> 'cold'",
    ]);
  });

  it("tq: candidates hold two of the rarest words, or the rarest alone while it is rare", async () => {
    const [{ rare }] = await rowsOf("tq", "Erie canal");
    expect(String(rare)).toMatch(/'eri'/);
    expect(String(rare)).toMatch(/'canal'/);
  });

  it("vec: the vector leg ranks the nearest passages, and is empty when its weight is 0", async () => {
    const vec = await rowsOf("vec", "Erie canal grain");
    expect(vec.map((v) => Number(v.r))).toEqual(vec.map((_, i) => i + 1));
    expect(vec.length).toBeGreaterThan(0);
    expect(
      await rowsOf("vec", "Erie canal grain", { ...OPTIONS, vectorWeight: 0 }),
    ).toEqual([]);
  });

  it("txt: the full-text leg ranks the passages holding the words, and is empty when its weight is 0", async () => {
    const txt = await rowsOf("txt", "Erie canal grain");
    expect(txt).toHaveLength(2);
    expect(
      await rowsOf("txt", "Erie canal grain", { ...OPTIONS, textWeight: 0 }),
    ).toEqual([]);
    // An exclusion holds without quotes too.
    expect(await rowsOf("txt", "canal -grain")).toEqual([]);
  });

  it("fused and ranked: both legs by reciprocal rank, each document's passages numbered by score", async () => {
    const fused = await rowsOf("fused", "Erie canal grain");
    const both = fused.filter((f) => f.matched_terms && f.similarity !== null);
    expect(both.length).toBeGreaterThan(0);
    for (const f of both)
      expect(Number(f.score)).toBeGreaterThan(1 / (60 + 50));
    const ranked = await rowsOf("ranked", "Erie canal grain");
    const canal = ranked
      .filter((r) => r.title === "canal")
      .map((r) => Number(r.nth_of_document));
    expect(canal.sort()).toEqual([1, 2]);
  });
});

describe("withNamedParameters", () => {
  it("binds each name once, in order, and leaves casts, quoted text and comments alone", () => {
    expect(
      withNamedParameters(
        "SELECT :a::int, ':A', :b, :a -- not :c\n, 'it''s :d'",
        { a: 1, b: 2 },
      ),
    ).toEqual({
      text: "SELECT $1::int, ':A', $2, $1 -- not :c\n, 'it''s :d'",
      values: [1, 2],
    });
  });

  it("refuses a name without a value, and a value without a name", () => {
    expect(() => withNamedParameters("SELECT :a", {})).toThrow(
      /:a has no value/,
    );
    expect(() => withNamedParameters("SELECT 1", { a: 1 })).toThrow(
      /never used: :a/,
    );
  });
});
