import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportConversation } from "./export";
import { listMessages, postMessage, setFeedback } from "./messages";
import { searchPassages } from "./search";
import {
  createSession,
  deleteSession,
  getSession,
  listSessions,
  renameSession,
  UNTITLED_SESSION,
} from "./sessions";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import { LocalEmbedder } from "../embeddings/local-embedder";
import { InvalidInputError, NotFoundError } from "../errors";
import { DEFAULT_INFERENCE_CONFIG } from "../inference-config/defaults";
import { ingestFiles } from "../ingest/ingest";

let dir: string;
let store: OpenDatabase;
const embedder = new LocalEmbedder();
const config = DEFAULT_INFERENCE_CONFIG;
const deps = () => ({ db: store.db, embedder });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sextant-chat-"));
  writeFileSync(
    join(dir, "canal.txt"),
    "The Erie canal was finished in 1825. It carried grain from the lakes to New York.",
  );
  writeFileSync(
    join(dir, "tariff.txt"),
    "The tariff on wool was lowered, and the price of cloth fell within the year.",
  );
  store = await openDatabase(undefined, "");
  await ingestFiles(store.db, embedder, [dir]);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("chat sessions", () => {
  it("lists only the owner's sessions, most recently active first, a page at a time", async () => {
    const first = await createSession(store.db, "ada", "First");
    const second = await createSession(store.db, "ada");
    await createSession(store.db, "grace", "Not Ada's");
    await renameSession(store.db, "ada", first.id, "First, renamed");
    const page1 = await listSessions(store.db, "ada", { limit: 1 });
    expect(page1.items.map((s) => s.title)).toEqual(["First, renamed"]);
    const page2 = await listSessions(store.db, "ada", {
      limit: 1,
      cursor: page1.nextCursor,
    });
    expect(page2.items).toEqual([
      expect.objectContaining({ id: second.id, title: UNTITLED_SESSION }),
    ]);
    expect(page2.nextCursor).toBeUndefined();
  });

  it("answers NotFound for another user's session, for every action, and changes nothing", async () => {
    const mine = await createSession(store.db, "ada", "Mine");
    const answer = await postMessage(deps(), {
      owner: "ada",
      sessionId: mine.id,
      question: "When was the Erie canal finished?",
      config,
      collections: "all" as const,
    });
    const page = { limit: 20 };
    const attempts = [
      () => getSession(store.db, "grace", mine.id),
      () => renameSession(store.db, "grace", mine.id, "Taken"),
      () => deleteSession(store.db, "grace", mine.id),
      () => listMessages(store.db, "grace", mine.id, page),
      () =>
        postMessage(deps(), {
          owner: "grace",
          sessionId: mine.id,
          question: "What about wool?",
          config,
          collections: "all" as const,
        }),
      () =>
        setFeedback(store.db, {
          owner: "grace",
          sessionId: mine.id,
          messageId: answer.answer.id,
          feedback: { rating: "down" },
        }),
    ];
    for (const attempt of attempts)
      await expect(attempt()).rejects.toBeInstanceOf(NotFoundError);
    expect((await getSession(store.db, "ada", mine.id)).title).toBe("Mine");
    expect(
      (await listMessages(store.db, "ada", mine.id, page)).items,
    ).toHaveLength(2);
  });

  it("answers NotFound, not an error, for ids that are not ids", async () => {
    await expect(
      getSession(store.db, "ada", "../../etc/passwd"),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("deletes a session with its messages", async () => {
    const s = await createSession(store.db, "ada");
    await postMessage(deps(), {
      owner: "ada",
      sessionId: s.id,
      question: "What happened to the tariff on wool?",
      config,
      collections: "all" as const,
    });
    await deleteSession(store.db, "ada", s.id);
    const { rows } = await store.db.query(
      "SELECT 1 FROM messages WHERE session_id = $1",
      [s.id],
    );
    expect(rows).toHaveLength(0);
  });
});

describe("messages", () => {
  it("stores the question and a cited answer with latency per step and usage, and names the session", async () => {
    const s = await createSession(store.db, "ada");
    const { question, answer } = await postMessage(deps(), {
      owner: "ada",
      sessionId: s.id,
      question: "When was the Erie canal finished?",
      config,
      collections: "all" as const,
    });
    expect(question).toMatchObject({
      role: "user",
      content: "When was the Erie canal finished?",
      sources: [],
    });
    expect(answer.role).toBe("assistant");
    expect(answer.extractive).toBe(true);
    expect(answer.sources[0]).toMatchObject({
      number: 1,
      title: "Canal",
      text: expect.stringContaining("1825"),
    });
    expect(answer.content).toContain("[1]");
    expect(Object.keys(answer.latencyMs!).sort()).toEqual([
      "answer",
      "classify",
      "condense",
      "retrieve",
      "total",
    ]);
    expect(answer.usage).toEqual({
      inputTokens: expect.any(Number),
      outputTokens: expect.any(Number),
    });
    expect((await getSession(store.db, "ada", s.id)).title).toBe(
      "When was the Erie canal finished?",
    );

    const history = await listMessages(store.db, "ada", s.id, { limit: 20 });
    expect(history.items.map((m) => m.id)).toEqual([question.id, answer.id]);
  });

  it("stores nothing when the chain rejects the question", async () => {
    const s = await createSession(store.db, "ada");
    const strict = {
      ...config,
      guardrails: { ...config.guardrails, maxQuestionLength: 5 },
    };
    await expect(
      postMessage(deps(), {
        owner: "ada",
        sessionId: s.id,
        question: "far too long a question",
        config: strict,
        collections: "all" as const,
      }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    expect(
      (await listMessages(store.db, "ada", s.id, { limit: 20 })).items,
    ).toEqual([]);
  });

  it("answers a retry with the same Idempotency-Key from the store: the chain runs once, one pair is kept", async () => {
    const s = await createSession(store.db, "ada");
    let embeds = 0;
    const counting = {
      ...deps(),
      embedder: {
        ...embedder,
        dimensions: embedder.dimensions,
        embed: (texts: string[]) => {
          embeds++;
          return embedder.embed(texts);
        },
      },
    };
    const ask = {
      owner: "ada",
      sessionId: s.id,
      question: "When was the Erie canal finished?",
      config,
      collections: "all" as const,
      idempotencyKey: "7b0c3f4e-retry",
    };
    const first = await postMessage(counting, ask);
    const calls = embeds;
    expect(calls).toBeGreaterThan(0);
    const retry = await postMessage(counting, ask);
    expect(embeds).toBe(calls);
    expect(retry).toEqual(first);
    // The key belongs to the session: another session answers afresh.
    const other = await createSession(store.db, "ada");
    const elsewhere = await postMessage(counting, {
      ...ask,
      sessionId: other.id,
    });
    expect(elsewhere.question.id).not.toBe(first.question.id);
    expect(
      (await listMessages(store.db, "ada", s.id, { limit: 20 })).items.map(
        (m) => m.id,
      ),
    ).toEqual([first.question.id, first.answer.id]);
  });

  it("stores one pair for concurrent requests with the same Idempotency-Key, and all of them get it", async () => {
    const s = await createSession(store.db, "ada");
    const ask = {
      owner: "ada",
      sessionId: s.id,
      question: "What did the canal carry?",
      config,
      collections: "all" as const,
      idempotencyKey: "concurrent-1",
    };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => postMessage(deps(), ask)),
    );
    const history = await listMessages(store.db, "ada", s.id, { limit: 20 });
    expect(history.items.map((m) => m.id)).toEqual([
      answers[0].question.id,
      answers[0].answer.id,
    ]);
    for (const a of answers) expect(a).toEqual(answers[0]);
  });

  it("rejects an Idempotency-Key reused for another question with 400 naming it, and stores nothing", async () => {
    const s = await createSession(store.db, "ada");
    const ask = {
      owner: "ada",
      sessionId: s.id,
      config,
      collections: "all" as const,
      idempotencyKey: "k1",
    };
    await postMessage(deps(), { ...ask, question: "canal?" });
    const reused = postMessage(deps(), { ...ask, question: "tariff on wool?" });
    await expect(reused).rejects.toBeInstanceOf(InvalidInputError);
    await expect(reused).rejects.toMatchObject({
      fields: [
        { path: "Idempotency-Key", message: "was used for another question" },
      ],
    });
    expect(
      (await listMessages(store.db, "ada", s.id, { limit: 20 })).items.map(
        (m) => m.content,
      ),
    ).toEqual(["canal?", expect.any(String)]);
  });

  it("pages through history in order", async () => {
    const s = await createSession(store.db, "ada");
    for (const q of ["canal?", "tariff on wool?", "grain to New York?"]) {
      await postMessage(deps(), {
        owner: "ada",
        sessionId: s.id,
        question: q,
        config,
        collections: "all" as const,
      });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listMessages(store.db, "ada", s.id, {
        limit: 4,
        cursor,
      });
      seen.push(
        ...page.items.filter((m) => m.role === "user").map((m) => m.content),
      );
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["canal?", "tariff on wool?", "grain to New York?"]);
  });

  it("records feedback on answers only, replacing earlier feedback", async () => {
    const s = await createSession(store.db, "ada");
    const { question, answer } = await postMessage(deps(), {
      owner: "ada",
      sessionId: s.id,
      question: "wool prices?",
      config,
      collections: "all" as const,
    });
    const target = { owner: "ada", sessionId: s.id };
    await setFeedback(store.db, {
      ...target,
      messageId: answer.id,
      feedback: { rating: "down" },
    });
    await setFeedback(store.db, {
      ...target,
      messageId: answer.id,
      feedback: { rating: "up", comment: "Clear" },
    });
    const [, stored] = (
      await listMessages(store.db, "ada", s.id, { limit: 20 })
    ).items;
    expect(stored.feedback).toEqual({ rating: "up", comment: "Clear" });
    await expect(
      setFeedback(store.db, {
        ...target,
        messageId: question.id,
        feedback: { rating: "up" },
      }),
    ).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe("search", () => {
  it("returns cited passages, k at most", async () => {
    const results = await searchPassages(deps(), {
      query: "price of cloth",
      k: 1,
      config,
      collections: "all" as const,
    });
    expect(results).toEqual([
      expect.objectContaining({
        number: 1,
        title: "Tariff",
        documentId: expect.any(String),
      }),
    ]);
  });
});

describe("exporting a conversation", () => {
  it("as Markdown, each answer's citations as footnotes naming the title and source; as JSON, the whole stored record; someone else's is 404", async () => {
    const session = await createSession(store.db, "ada", "Canals and tariffs");
    for (const question of [
      "When was the Erie canal finished?",
      "What happened to the wool tariff?",
    ])
      await postMessage(deps(), {
        owner: "ada",
        sessionId: session.id,
        question,
        config,
        collections: "all" as const,
      });

    const md = await exportConversation(store.db, "ada", session.id, "md");
    expect(md).toMatchObject({
      fileName: "canals-and-tariffs.md",
      contentType: "text/markdown; charset=utf-8",
    });
    const lines = md.body.split("\n");
    expect(lines[0]).toBe("# Canals and tariffs");
    expect(md.body).toContain(
      "**Question:** When was the Erie canal finished?",
    );
    // The first answer's [1] is footnote 1-1, the second answer's [1] footnote 2-1.
    expect(md.body).toContain('"The Erie canal was finished in 1825." [^1-1]');
    expect(md.body).toContain(
      '"The tariff on wool was lowered, and the price of cloth fell within the year." [^2-1]',
    );
    expect(lines).toContain(`[^1-1]: Canal, ${basenameOf(dir)}/canal.txt`);
    expect(lines).toContain(`[^2-1]: Tariff, ${basenameOf(dir)}/tariff.txt`);
    expect(md.body).not.toMatch(/(?<!\^)\[\d\](?!\()/);

    const json = await exportConversation(store.db, "ada", session.id, "json");
    expect(json.contentType).toBe("application/json");
    const record = JSON.parse(json.body);
    expect(record.session).toMatchObject({
      id: session.id,
      title: "Canals and tariffs",
    });
    expect(record.messages).toHaveLength(4);
    expect(record.messages[1]).toMatchObject({
      role: "assistant",
      sources: [expect.objectContaining({ number: 1 })],
    });
    expect(record.messages[1].latencyMs).toBeDefined();

    await expect(
      exportConversation(store.db, "grace", session.id, "md"),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

function basenameOf(path: string): string {
  return path.split("/").filter(Boolean).pop()!;
}
