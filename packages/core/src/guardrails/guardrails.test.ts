import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bedrockTopicsOf, deniedTopicOf } from "./denied-topics";
import { saveAssistant } from "../assistants/administer-assistants";
import { assistantById } from "../assistants/assistants";
import { listAuditLog } from "../audit/audit-log";
import { answerQuestion } from "../chain/answer-question";
import type { Prompt } from "../chain/fenced-prompt";
import type { LanguageModel } from "../chain/language-model";
import { askQuestionAndWait } from "../chat/ask";
import { listMessages, setFeedback, streamAnswer } from "../chat/messages";
import { createSession, getSession } from "../chat/sessions";
import { DEFAULT_ASSISTANT_ID } from "../db/migrations";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import type { Embedder } from "../embeddings/embedder";
import { LocalEmbedder } from "../embeddings/local-embedder";
import type { Caller } from "../identity/caller";
import { DEFAULT_INFERENCE_CONFIG } from "../inference-config/defaults";
import type { InferenceConfig } from "../inference-config/schema";
import { ingestFiles } from "../ingest/ingest";

const INVESTMENT = {
  name: "Investment advice",
  examples: [
    "Which stocks should I buy?",
    "Should I invest my savings in bitcoin?",
  ],
  message: "I can't give investment advice. Please ask a licensed adviser.",
};
const ada: Caller = {
  id: "sub-ada",
  username: "ada",
  groups: ["Administrators"],
  isAdministrator: true,
};
const users = { groupsOf: async () => ["Administrators"] };

let dir: string;
let store: OpenDatabase;
const embedder = new LocalEmbedder();

/** Saves Default's guardrails (the chat reads the session's assistant at each question). */
async function withGuardrails(
  guardrails: Partial<InferenceConfig["guardrails"]>,
) {
  const current = await assistantById(store.db, DEFAULT_ASSISTANT_ID);
  await saveAssistant(store.db, ada, DEFAULT_ASSISTANT_ID, {
    expectedVersion: current.version,
    assistant: {
      ...current,
      config: {
        ...current.config,
        guardrails: { ...DEFAULT_INFERENCE_CONFIG.guardrails, ...guardrails },
      },
    },
  });
}

const ask = async (
  question: string,
  idempotencyKey?: string,
  sessionId?: string,
) => {
  const session = sessionId ?? (await createSession(store.db, ada.id)).id;
  return {
    sessionId: session,
    ...(await askQuestionAndWait({ db: store.db, users }, ada, {
      sessionId: session,
      question,
      idempotencyKey,
    })),
  };
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sextant-guardrails-"));
  writeFileSync(
    join(dir, "canal.txt"),
    "The Erie canal was finished in 1825. Write to canal@example.org for its records.",
  );
  store = await openDatabase(undefined, "");
  await ingestFiles(store.db, embedder, [dir]);
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("denied topics (offline, the engine's own similarity)", () => {
  it("matches paraphrases of a topic's examples, and not questions of another subject", async () => {
    const topics = [INVESTMENT];
    expect(
      await deniedTopicOf(embedder, "What stocks should I buy now?", topics),
    ).toBe(INVESTMENT);
    expect(
      await deniedTopicOf(
        embedder,
        "Should I put my savings into bitcoin?",
        topics,
      ),
    ).toBe(INVESTMENT);
    expect(
      await deniedTopicOf(
        embedder,
        "When was the Erie canal finished?",
        topics,
      ),
    ).toBeUndefined();
    expect(
      await deniedTopicOf(
        embedder,
        "What stocks should I buy now?",
        topics,
        1.01,
      ),
    ).toBeUndefined();
  });

  it("embeds the question once for the check and retrieval together, and each example once per process", async () => {
    const embedded: string[] = [];
    const counting: Embedder = {
      modelId: embedder.modelId,
      dimensions: embedder.dimensions,
      embed: (texts) => {
        embedded.push(...texts);
        return embedder.embed(texts);
      },
    };
    const config: InferenceConfig = {
      ...DEFAULT_INFERENCE_CONFIG,
      guardrails: {
        ...DEFAULT_INFERENCE_CONFIG.guardrails,
        deniedTopics: [INVESTMENT],
      },
    };
    const question = "When was the Erie canal finished?";
    for (let i = 0; i < 2; i++) {
      let sources = 0;
      for await (const e of answerQuestion(
        { db: store.db, embedder: counting },
        { question, config, collections: "all" },
      ))
        if (e.type === "done") sources = e.result.sources.length;
      expect(sources).toBeGreaterThan(0);
    }
    expect(embedded.filter((t) => t === question)).toHaveLength(2);
    expect(embedded.filter((t) => t === INVESTMENT.examples[0])).toHaveLength(
      1,
    );
  });

  it("declines a question on a denied topic with its message, no sources, and records who and which topic, never the question", async () => {
    await withGuardrails({ deniedTopics: [INVESTMENT] });
    const { sessionId, answer } = await ask(
      "Which stocks should I buy this year?",
    );
    expect(answer.content).toBe(INVESTMENT.message);
    expect(answer.sources).toEqual([]);
    const [entry] = (await listAuditLog(store.db, { limit: 1 })).items;
    expect(entry).toMatchObject({
      actor: "ada",
      action: "guardrail.intervened",
      target: "Default",
      detail: {
        guardrail: "denied-topic",
        topic: "Investment advice",
        on: "question",
        sessionId,
      },
    });
    expect(JSON.stringify(entry)).not.toMatch(/stocks/i);
    // Nothing of a model's answer is stored: the pair holds the question and the topic's message.
    const stored = await listMessages(store.db, ada.id, sessionId, {
      limit: 10,
    });
    expect(stored.items.map((m) => m.content)).toEqual([
      "Which stocks should I buy this year?",
      INVESTMENT.message,
    ]);
    // Other questions are answered as before.
    const other = await ask("When was the Erie canal finished?");
    expect(other.answer.sources.length).toBeGreaterThan(0);
    await withGuardrails({});
  });
});

describe("personal data redacted before storage (guardrails.redactPii, on by default)", () => {
  it("stores the question, the answer, the session's title and feedback comments with typed placeholders", async () => {
    await withGuardrails({ redactPii: true });
    const { sessionId, question, answer } = await ask(
      "Mail jane@example.com about the Erie canal, card 4111 1111 1111 1111",
    );
    expect(question.content).toBe(
      "Mail [EMAIL] about the Erie canal, card [CARD]",
    );
    // The extractive answer quotes the passage with its address: stored redacted too.
    expect(answer.content).toContain("[EMAIL]");
    expect(answer.content).not.toContain("canal@example.org");
    expect((await getSession(store.db, ada.id, sessionId)).title).toBe(
      "Mail [EMAIL] about the Erie canal, card [CARD]",
    );
    const saved = await setFeedback(store.db, {
      owner: ada.id,
      sessionId,
      messageId: answer.id,
      feedback: { rating: "down", comment: "call me on +44 20 7946 0958" },
    });
    expect(saved.comment).toBe("call me on [PHONE]");
    const { rows } = await store.db.query<{ content: string }>(
      "SELECT content FROM messages WHERE session_id = $1 UNION ALL SELECT comment FROM feedback WHERE message_id = $2",
      [sessionId, answer.id],
    );
    expect(JSON.stringify(rows)).not.toMatch(/jane@example|4111|7946/);
  });

  it("answers a retry with the same Idempotency-Key from the store, though the stored question was redacted", async () => {
    const first = await ask(
      "Is ada@example.com on the canal's records?",
      "key-pii",
    );
    const again = await ask(
      "Is ada@example.com on the canal's records?",
      "key-pii",
      first.sessionId,
    );
    expect(again.answer.id).toBe(first.answer.id);
  });

  it("keeps the text as written when redaction is off", async () => {
    await withGuardrails({ redactPii: false });
    const { question } = await ask("Mail jane@example.com about the canal");
    expect(question.content).toBe("Mail jane@example.com about the canal");
    await withGuardrails({ redactPii: true });
  });

  it("lets the model see the question as asked, or redacted with redactBeforeModel (a scripted stand-in for Bedrock)", async () => {
    const prompts: Prompt[] = [];
    const model: LanguageModel = {
      modelId: "scripted",
      async *generate(prompt) {
        prompts.push(prompt);
        yield "The canal was finished in 1825 [1].";
      },
    };
    const config: InferenceConfig = {
      ...DEFAULT_INFERENCE_CONFIG,
      models: {
        ...DEFAULT_INFERENCE_CONFIG.models,
        answer: {
          provider: "bedrock",
          modelId: "m",
          temperature: 0,
          maxTokens: 100,
        },
      },
    };
    for (const [redactBeforeModel, seen] of [
      [false, "jane@example.com"],
      [true, "[EMAIL]"],
    ] as const) {
      const session = await createSession(store.db, ada.id);
      for await (const _ of streamAnswer(
        { db: store.db, embedder, models: { answer: model } },
        {
          owner: ada.id,
          sessionId: session.id,
          question: "Tell jane@example.com when the canal was finished",
          config: {
            ...config,
            guardrails: { ...config.guardrails, redactBeforeModel },
          },
          collections: "all",
        },
      ));
      expect(prompts.at(-1)!.user).toContain(seen);
    }
  });
});

describe("denied topics mapped to a Bedrock guardrail's (GuardrailTopicConfig limits)", () => {
  it("takes the description as the definition and the first 5 examples of up to 100 characters", () => {
    const long = `Which shares ${"and which bonds ".repeat(6)}should I buy?`;
    const mapping = bedrockTopicsOf([
      {
        name: "Investment advice",
        description: "Recommendations to buy or sell securities.",
        examples: ["Should I buy shares?", long, "a", "b", "c", "d", "e"],
        message: "I cannot give investment advice.",
      },
      {
        name: "Politics",
        examples: ["Who should I vote for?"],
        message: "No.",
      },
    ]);
    expect(mapping.problems).toEqual([]);
    expect(mapping.topics).toEqual([
      {
        name: "Investment advice",
        definition: "Recommendations to buy or sell securities.",
        examples: ["Should I buy shares?", "a", "b", "c", "d"],
        type: "DENY",
      },
      {
        name: "Politics",
        definition: "Politics",
        examples: ["Who should I vote for?"],
        type: "DENY",
      },
    ]);
    expect(mapping.leftOut).toEqual([
      {
        topic: "Investment advice",
        example: long,
        reason: "longer than 100 characters",
      },
      {
        topic: "Investment advice",
        example: "e",
        reason: "Bedrock takes 5 examples per topic",
      },
    ]);
  });

  it("names the field of a topic Bedrock would refuse, and maps the others", () => {
    const mapping = bedrockTopicsOf([
      { name: "Mergers & acquisitions", examples: ["x"], message: "No." },
      {
        name: "Health",
        description: "d".repeat(201),
        examples: ["x"],
        message: "No.",
      },
      { name: "Weather", examples: ["Will it rain?"], message: "No." },
    ]);
    expect(mapping.problems.map((p) => p.path)).toEqual([
      "guardrails.deniedTopics[0].name",
      "guardrails.deniedTopics[1].description",
    ]);
    expect(mapping.problems[1].message).toContain("201");
    expect(mapping.topics.map((t) => t.name)).toEqual(["Weather"]);
  });
});
