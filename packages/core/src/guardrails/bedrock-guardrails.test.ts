import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import {
  ApplyGuardrailCommand,
  BedrockRuntimeClient,
  ConverseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { saveAssistant } from "../assistants/administer-assistants";
import { assistantById } from "../assistants/assistants";
import { listAuditLog } from "../audit/audit-log";
import { askQuestionAndWait } from "../chat/ask";
import { listMessages, postMessage, streamAnswer } from "../chat/messages";
import { createSession } from "../chat/sessions";
import { DEFAULT_ASSISTANT_ID } from "../db/migrations";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import { LocalEmbedder } from "../embeddings/local-embedder";
import { GuardrailInterventionError } from "../errors";
import type { Caller } from "../identity/caller";
import { DEFAULT_INFERENCE_CONFIG } from "../inference-config/defaults";
import type { InferenceConfig } from "../inference-config/schema";
import { ingestFiles } from "../ingest/ingest";
import {
  BedrockConverseModel,
  BedrockGuardrailChecker,
} from "../providers/bedrock";

// Bedrock cannot be reached here: recorded responses in the shapes the API reference documents.
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ApplyGuardrail.html
const bedrock = mockClient(BedrockRuntimeClient);
const GUARDRAIL = {
  guardrailIdentifier: "gr7abc123",
  guardrailVersion: "3",
  trace: true,
};
const BLOCKED = "Sorry, the assistant cannot answer that.";
const ada: Caller = {
  id: "sub-ada",
  username: "ada",
  groups: ["Administrators"],
  isAdministrator: true,
};

const withBedrockAnswer: InferenceConfig = {
  ...DEFAULT_INFERENCE_CONFIG,
  models: {
    ...DEFAULT_INFERENCE_CONFIG.models,
    answer: {
      provider: "bedrock",
      modelId: "anthropic.claude-3-haiku-20240307-v1:0",
      temperature: 0,
      maxTokens: 200,
    },
  },
  guardrails: { ...DEFAULT_INFERENCE_CONFIG.guardrails, bedrock: GUARDRAIL },
};

/** A ConverseStream the guardrail stopped: its blocked message streamed, then `guardrail_intervened`. */
const intervenedStream = () => ({
  stream: (async function* () {
    yield { messageStart: { role: "assistant" } };
    yield {
      contentBlockDelta: { contentBlockIndex: 0, delta: { text: BLOCKED } },
    };
    yield { messageStop: { stopReason: "guardrail_intervened" } };
    yield {
      metadata: {
        usage: { inputTokens: 20, outputTokens: 8, totalTokens: 28 },
        metrics: { latencyMs: 90 },
        trace: {
          guardrail: {
            inputAssessment: {
              gr7abc123: {
                topicPolicy: {
                  topics: [
                    { name: "Finance", type: "DENY", action: "BLOCKED" },
                  ],
                },
              },
            },
          },
        },
      },
    };
  })() as any,
});

let dir: string;
let store: OpenDatabase;
const embedder = new LocalEmbedder();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sextant-bedrock-guardrails-"));
  writeFileSync(join(dir, "canal.txt"), "The Erie canal was finished in 1825.");
  store = await openDatabase(undefined, "");
  await ingestFiles(store.db, embedder, [dir]);
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => bedrock.reset());

describe("Bedrock Guardrails on the answer step (recorded AWS SDK responses)", () => {
  it("sends the guardrail with ConverseStream, synchronous so nothing unchecked streams", async () => {
    bedrock.on(ConverseStreamCommand).resolves({
      stream: (async function* () {
        yield {
          contentBlockDelta: {
            contentBlockIndex: 0,
            delta: { text: "In 1825 [1]." },
          },
        };
        yield { messageStop: { stopReason: "end_turn" } };
      })() as any,
    });
    const session = await createSession(store.db, ada.id);
    const pair = await postMessage(
      {
        db: store.db,
        embedder,
        models: {
          answer: new BedrockConverseModel(
            withBedrockAnswer.models.answer.modelId,
          ),
        },
      },
      {
        owner: ada.id,
        sessionId: session.id,
        question: "When was the canal finished?",
        config: withBedrockAnswer,
        collections: "all",
      },
    );
    expect(pair.answer.content).toBe("In 1825 [1].");
    expect(
      bedrock.commandCalls(ConverseStreamCommand)[0].args[0].input
        .guardrailConfig,
    ).toEqual({
      guardrailIdentifier: "gr7abc123",
      guardrailVersion: "3",
      trace: "enabled",
      streamProcessingMode: "sync",
    });
  });

  it("stops a buffered answer the guardrail intervened in with its message (400), and stores nothing", async () => {
    bedrock.on(ConverseStreamCommand).resolves(intervenedStream());
    const session = await createSession(store.db, ada.id);
    const error = await postMessage(
      {
        db: store.db,
        embedder,
        models: { answer: new BedrockConverseModel("m") },
      },
      {
        owner: ada.id,
        sessionId: session.id,
        question: "When was the canal finished, and should I buy its stock?",
        config: withBedrockAnswer,
        collections: "all",
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuardrailInterventionError);
    expect((error as Error).message).toBe(BLOCKED);
    expect(
      (await listMessages(store.db, ada.id, session.id, { limit: 10 })).items,
    ).toEqual([]);
  });

  it("ends a streamed answer with the guardrail's message as an error, after its tokens, and stores nothing", async () => {
    bedrock.on(ConverseStreamCommand).resolves(intervenedStream());
    const session = await createSession(store.db, ada.id);
    const tokens: string[] = [];
    const error = await (async () => {
      for await (const event of streamAnswer(
        {
          db: store.db,
          embedder,
          models: { answer: new BedrockConverseModel("m") },
        },
        {
          owner: ada.id,
          sessionId: session.id,
          question: "When was the canal finished, and should I buy its stock?",
          config: withBedrockAnswer,
          collections: "all",
        },
      ))
        if (event.type === "token") tokens.push(event.text);
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({
      message: BLOCKED,
      on: "output",
      guardrail: "gr7abc123",
      // The trace's policies (trace on), never what they matched.
      policies: ["topic Finance: BLOCKED"],
    });
    expect(tokens.join("")).toBe(BLOCKED);
    expect(
      (await listMessages(store.db, ada.id, session.id, { limit: 10 })).items,
    ).toEqual([]);
  });
});

describe("ApplyGuardrail for answers not on Bedrock (recorded AWS SDK responses)", () => {
  it("checks the question before and the whole answer after, and lets both through when the guardrail does", async () => {
    bedrock
      .on(ApplyGuardrailCommand)
      .resolves({ action: "NONE", outputs: [], assessments: [] });
    const checker = new BedrockGuardrailChecker(GUARDRAIL);
    await checker.check("input", "When was the canal finished?");
    await checker.check("output", "In 1825.");
    expect(
      bedrock.commandCalls(ApplyGuardrailCommand).map((c) => c.args[0].input),
    ).toEqual([
      {
        guardrailIdentifier: "gr7abc123",
        guardrailVersion: "3",
        source: "INPUT",
        content: [{ text: { text: "When was the canal finished?" } }],
      },
      {
        guardrailIdentifier: "gr7abc123",
        guardrailVersion: "3",
        source: "OUTPUT",
        content: [{ text: { text: "In 1825." } }],
      },
    ]);
  });

  it("declines a question the guardrail stops before any answer, records the intervention without the question, and stores nothing", async () => {
    bedrock.on(ApplyGuardrailCommand).resolves({
      action: "GUARDRAIL_INTERVENED",
      outputs: [{ text: BLOCKED }],
      assessments: [
        {
          topicPolicy: {
            topics: [{ name: "Finance", type: "DENY", action: "BLOCKED" }],
          },
          sensitiveInformationPolicy: {
            piiEntities: [
              {
                type: "EMAIL",
                match: "jane@example.com",
                action: "ANONYMIZED",
              },
            ],
            regexes: [],
          },
        },
      ],
    });
    // The offline (extractive) answer with a Bedrock guardrail configured: ApplyGuardrail covers it.
    const current = await assistantById(store.db, DEFAULT_ASSISTANT_ID);
    await saveAssistant(store.db, ada, DEFAULT_ASSISTANT_ID, {
      expectedVersion: current.version,
      assistant: {
        ...current,
        config: {
          ...current.config,
          guardrails: { ...current.config.guardrails, bedrock: GUARDRAIL },
        },
      },
    });
    const session = await createSession(store.db, ada.id);
    const error = await askQuestionAndWait(
      { db: store.db, users: { groupsOf: async () => ["Administrators"] } },
      ada,
      { sessionId: session.id, question: "Which stocks should I buy?" },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: BLOCKED, on: "input" });
    expect(
      (await listMessages(store.db, ada.id, session.id, { limit: 10 })).items,
    ).toEqual([]);
    const [entry] = (await listAuditLog(store.db, { limit: 1 })).items;
    expect(entry).toMatchObject({
      action: "guardrail.intervened",
      actor: "ada",
      detail: {
        guardrail: "gr7abc123",
        on: "question",
        sessionId: session.id,
        policies: ["topic Finance: BLOCKED", "pii EMAIL: ANONYMIZED"],
      },
    });
    expect(JSON.stringify(entry)).not.toMatch(/stocks|jane@example/);
    expect(bedrock.commandCalls(ApplyGuardrailCommand)).toHaveLength(1);
  });
});
