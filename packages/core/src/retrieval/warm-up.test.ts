import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warmUp } from "./warm-up";
import { toVector } from "../db/database";
import { refreshLexemeStats } from "../db/migrations";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import { LocalEmbedder } from "../embeddings/local-embedder";

let store: OpenDatabase;
const embedder = new LocalEmbedder();

beforeAll(async () => {
  store = await openDatabase(undefined, "");
});
afterAll(() => store.close());

describe("warmUp", () => {
  it("runs its searches over an empty store as over a full one, and writes nothing", async () => {
    let embedded = 0;
    const counting = {
      modelId: embedder.modelId,
      dimensions: embedder.dimensions,
      embed: (texts: string[]) => {
        embedded += texts.length;
        return embedder.embed(texts);
      },
    };
    await warmUp(store.db, counting);
    expect(embedded).toBe(10);

    const [vector] = await embedder.embed([
      "The treaty with France was signed.",
    ]);
    await store.db.query(
      `WITH d AS (INSERT INTO documents (source, title, content_hash) VALUES ('t', 't', 't') RETURNING id)
       INSERT INTO chunks (document_id, ordinal, content, content_hash, embedding, tsv)
       SELECT d.id, 0, 'The treaty with France was signed.', 'c', $1, chunk_tsv('t', 'The treaty with France was signed.') FROM d`,
      [toVector(vector)],
    );
    await refreshLexemeStats(store.db);
    const snapshot = () =>
      store.db.query(
        "SELECT (SELECT count(*) FROM chunks) AS chunks, (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM lexeme_stats) AS lexemes",
      );
    const before = (await snapshot()).rows;
    await warmUp(store.db, counting);
    expect(embedded).toBe(20);
    expect((await snapshot()).rows).toEqual(before);
  });
});
