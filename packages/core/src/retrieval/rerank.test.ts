import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  LocalReranker,
  rerankPassages,
  retrievePassages,
  type Reranker,
} from "./rerank";
import { retrieveHybrid, type RetrievedChunk } from "./retrieve-hybrid";
import { answerQuestion, type ChainResult } from "../chain/answer-question";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import { LocalEmbedder } from "../embeddings/local-embedder";
import { DEFAULT_INFERENCE_CONFIG } from "../inference-config/defaults";
import { ingestFiles } from "../ingest/ingest";

const chunk = (documentId: string, text: string): RetrievedChunk => ({
  source: `${documentId}.txt`,
  title: documentId,
  documentId,
  chunkId: `${documentId}-${text.length}`,
  score: 0,
  text,
  matchedTerms: true,
});

/** A stand-in reranker that reverses the order it is given, recording what it saw. */
function reversing(): Reranker & { seen: string[][] } {
  const seen: string[][] = [];
  return {
    modelId: "reverse",
    seen,
    async rerank(_query, passages, top) {
      seen.push([...passages]);
      return passages
        .map((_, i) => ({ index: passages.length - 1 - i, score: i }))
        .slice(0, top);
    },
  };
}

describe("LocalReranker (offline: word proximity fused with the search's order)", () => {
  const reranker = new LocalReranker();

  it("moves the passage where the question's words stand together up past one without them; a close call keeps the search's first", async () => {
    const scattered =
      "The war began in the cold of winter. Many years later, long after the treaty, the elections, the floods, the new railways, the strikes, the bank panic and three more governments, the country finally won peace.";
    const together = "At last we won the cold war, and the world changed.";
    const ranked = await reranker.rerank(
      "Who won the cold war?",
      [scattered, "Wheat prices fell.", together],
      3,
    );
    // Fused: scattered (search 1st, local 2nd) stays above together (search 3rd, local 1st),
    // which passes the passage without the words (search 2nd, local 3rd).
    expect(ranked.map((r) => r.index)).toEqual([0, 2, 1]);
    expect(ranked[0].score).toBeGreaterThan(ranked[1].score);
  });

  it("keeps the search's order between passages it cannot tell apart, and returns at most `top`", async () => {
    const same = ["grain canal", "grain canal", "grain canal"];
    const ranked = await reranker.rerank("grain canal", same, 2);
    expect(ranked.map((r) => r.index)).toEqual([0, 1]);
  });

  it("keeps the search's order for a question of no informative words", async () => {
    const ranked = await reranker.rerank("what is it?", ["b a", "a b"], 2);
    expect(ranked.map((r) => r.index)).toEqual([0, 1]);
  });
});

describe("rerankPassages", () => {
  it("keeps the best k by the reranker, with its scores, one passage per document first", async () => {
    const candidates = [
      chunk("b", "two"),
      chunk("a", "one"),
      chunk("c", "four"),
      chunk("a", "three"),
    ];
    // Reversed: a(three), c, a(one), b. The second of document a goes after every other document.
    const out = await rerankPassages(reversing(), "q", candidates, { k: 3 });
    expect(out.map((c) => c.text)).toEqual(["three", "four", "two"]);
    expect(out.map((c) => c.rerankScore)).toEqual([0, 1, 3]);
    const two = await rerankPassages(reversing(), "q", candidates, {
      k: 4,
      maxPerDocument: 2,
    });
    expect(two.map((c) => c.text)).toEqual(["three", "four", "one", "two"]);
  });

  it("ignores an index the reranker made up", async () => {
    const liar: Reranker = {
      modelId: "liar",
      rerank: async () => [
        { index: 7, score: 1 },
        { index: 0, score: 0.5 },
      ],
    };
    const out = await rerankPassages(liar, "q", [chunk("a", "x")], { k: 2 });
    expect(out.map((c) => c.text)).toEqual(["x"]);
  });
});

describe("retrievePassages and the chain with a reranker (embedded Postgres)", () => {
  let dir: string;
  let store: OpenDatabase;
  const embedder = new LocalEmbedder();
  const retrieval = {
    ...DEFAULT_INFERENCE_CONFIG.retrieval,
    k: 2,
    collections: "all" as const,
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sextant-rerank-"));
    for (const [name, text] of [
      ["canal", "The Erie canal carried grain to New York."],
      ["grain", "Grain prices rose after the canal opened."],
      ["harbour", "The harbour canal froze; grain waited for spring."],
      ["wool", "The tariff on wool was lowered."],
    ])
      writeFileSync(join(dir, `${name}.txt`), text);
    store = await openDatabase(undefined, "");
    await ingestFiles(store.db, embedder, [dir]);
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reranks the search's first `candidates`, the first k of which are the search's own for k", async () => {
    const reranker = reversing();
    const plain = await retrieveHybrid(store.db, embedder, "grain canal", {
      ...retrieval,
      limit: 3,
    });
    const forK = await retrieveHybrid(
      store.db,
      embedder,
      "grain canal",
      retrieval,
    );
    expect(plain.slice(0, 2).map((p) => p.chunkId)).toEqual(
      forK.map((p) => p.chunkId),
    );
    const found = await retrievePassages(
      { db: store.db, embedder, reranker },
      "grain canal",
      { ...retrieval, rerank: { candidates: 3 } },
    );
    expect(reranker.seen[0]).toHaveLength(3);
    expect(found.passages.map((p) => p.chunkId)).toEqual(
      [...plain]
        .reverse()
        .slice(0, 2)
        .map((p) => p.chunkId),
    );
    expect(found.rerankMs).toBeGreaterThanOrEqual(0);
    // Asked for more passages than the configuration's candidates: it reranks at least k.
    const wider = reversing();
    const more = await retrievePassages(
      { db: store.db, embedder, reranker: wider },
      "grain canal",
      { ...retrieval, k: 3, rerank: { candidates: 1 } },
    );
    expect(wider.seen[0]).toHaveLength(3);
    expect(more.passages).toHaveLength(3);
  });

  it("without a reranker, or without the setting, is the search alone, with no rerank time", async () => {
    const reranker = reversing();
    const unset = await retrievePassages(
      { db: store.db, embedder, reranker },
      "grain canal",
      retrieval,
    );
    expect(reranker.seen).toHaveLength(0);
    expect(unset.rerankMs).toBeUndefined();
    const none = await retrievePassages(
      { db: store.db, embedder },
      "grain canal",
      {
        ...retrieval,
        rerank: { candidates: 3 },
      },
    );
    expect(none.passages).toHaveLength(2);
    expect(none.rerankMs).toBeUndefined();
  });

  it("reports the rerank step's time among the chain's step timings", async () => {
    const config = {
      ...DEFAULT_INFERENCE_CONFIG,
      retrieval: {
        ...DEFAULT_INFERENCE_CONFIG.retrieval,
        k: 2,
        rerank: {
          provider: "local" as const,
          modelId: "proximity",
          candidates: 4,
        },
      },
    };
    let result: ChainResult | undefined;
    for await (const e of answerQuestion(
      { db: store.db, embedder, reranker: new LocalReranker() },
      {
        question: "Where did the canal carry grain?",
        config,
        collections: "all",
      },
    ))
      if (e.type === "done") result = e.result;
    expect(result!.latencyMs.rerank).toBeGreaterThanOrEqual(0);
    expect(result!.sources.length).toBeGreaterThan(0);
    expect(result!.sources[0].rerankScore).toBeGreaterThan(0);
  });
});
