import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_JUDGE_PROMPT } from "./judge";
import { runEvaluation } from "./run-evaluation";
import type { Prompt } from "../chain/fenced-prompt";
import type { LanguageModel } from "../chain/language-model";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import { LocalEmbedder } from "../embeddings/local-embedder";
import { DEFAULT_INFERENCE_CONFIG } from "../inference-config/defaults";
import type { InferenceConfig } from "../inference-config/schema";
import { ingestFiles } from "../ingest/ingest";

let dir: string;
let store: OpenDatabase;
const embedder = new LocalEmbedder();
const QUESTIONS = [
  {
    question: "When was the Erie canal finished?",
    expectedSources: ["canal"],
    expectedFacts: [
      "It was finished in 1825.",
      "It cost seven million dollars.",
    ],
  },
  {
    question: "What happened to the tariff on wool?",
    expectedSources: ["tariff"],
    expectedFacts: [],
  },
];
/** A configuration with a language model for the answer (Bedrock cannot run here: a scripted stand-in). */
const withModel: InferenceConfig = {
  ...DEFAULT_INFERENCE_CONFIG,
  models: {
    ...DEFAULT_INFERENCE_CONFIG.models,
    answer: {
      provider: "bedrock",
      modelId: "anthropic.claude-3-haiku-20240307-v1:0",
      temperature: 0.5,
      maxTokens: 500,
    },
  },
};

/**
 * The answer model's stand-in: it answers a question, and as the judge replies with `verdict` for
 * the prompt it was given (it records every prompt).
 */
function scripted(
  verdict: (p: Prompt) => string,
): LanguageModel & { prompts: Prompt[] } {
  const prompts: Prompt[] = [];
  return {
    modelId: "scripted",
    prompts,
    async *generate(prompt) {
      prompts.push(prompt);
      yield prompt.system.includes("grade")
        ? verdict(prompt)
        : "The canal was finished in 1825 [1].";
    },
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sextant-judge-"));
  writeFileSync(
    join(dir, "canal.txt"),
    "The Erie canal was finished in 1825. It cost seven million dollars and carried grain to New York.",
  );
  writeFileSync(join(dir, "tariff.txt"), "The tariff on wool was lowered.");
  store = await openDatabase(undefined, "");
  await ingestFiles(store.db, embedder, [dir]);
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the model judge of an evaluation (a scripted stand-in for the answer model)", () => {
  it("judges each answer's faithfulness and the facts it covers, with the reasons, from the answer and its passages", async () => {
    const model = scripted((p) =>
      p.user.includes("1825 [1]") && p.user.includes("Erie canal")
        ? JSON.stringify({
            faithful: true,
            faithfulReason: "The date is in source 1.",
            facts: [
              { fact: "It was finished in 1825.", covered: true },
              { fact: "It cost seven million dollars.", covered: false },
            ],
            factsReason: "The cost is not stated.",
          })
        : '{"faithful": false, "faithfulReason": "It answers another question.", "facts": []}',
    );
    const report = await runEvaluation(
      { db: store.db, embedder, models: { answer: model } },
      QUESTIONS,
      { config: withModel, collections: "all" },
    );
    expect(report.judge.faithfulness).toEqual({
      status: "judged",
      value: 0.5,
      questions: 2,
    });
    expect(report.judge.factCoverage).toEqual({
      status: "judged",
      value: 0.5,
      questions: 1,
    });
    expect(report.questions[0].judge).toEqual({
      faithful: true,
      reason: "The date is in source 1. The cost is not stated.",
      facts: [
        { fact: "It was finished in 1825.", covered: true },
        { fact: "It cost seven million dollars.", covered: false },
      ],
    });
    expect(report.questions[1].judge?.faithful).toBe(false);
    // The judge reads the question, the answer, the passages and the facts as fenced data.
    const judging = model.prompts.filter((p) => p.system.includes("grade"));
    expect(judging).toHaveLength(2);
    expect(judging[0].user).toMatch(
      /<<<ANSWER .+>>>\nThe canal was finished in 1825 \[1\]\./,
    );
    expect(judging[0].user).toMatch(
      /<<<FACTS .+>>>\nIt was finished in 1825\.\nIt cost seven million dollars\./,
    );
    expect(judging[0].user).toMatch(/<<<SOURCES .+>>>\n\[1\] Canal/);
  });

  it("uses the configuration's judge prompt, so a version's scores were judged by that version's prompt", async () => {
    const model = scripted(() => '{"faithful": true, "facts": []}');
    await runEvaluation(
      { db: store.db, embedder, models: { answer: model } },
      QUESTIONS.slice(1),
      {
        config: {
          ...withModel,
          prompts: {
            ...withModel.prompts,
            judge:
              "Strictly grade {{answer}} against {{sources}} for {{question}}; JSON only.",
          },
        },
        collections: "all",
      },
    );
    const judging = model.prompts.filter((p) => p.system.includes("grade"));
    expect(judging[0].system).toMatch(/^Strictly grade/);
    expect(judging[0].system).not.toContain(DEFAULT_JUDGE_PROMPT.slice(0, 30));
  });

  it("counts a reply it cannot read as not judged, never as a zero", async () => {
    const model = scripted(() => "I think it is fine.");
    const report = await runEvaluation(
      { db: store.db, embedder, models: { answer: model } },
      QUESTIONS,
      { config: withModel, collections: "all" },
    );
    expect(report.judge.faithfulness).toEqual({
      status: "not run",
      reason: "the judge's replies could not be read",
    });
    expect(report.questions[0].judge?.reason).toMatch(/not the JSON asked for/);
    expect(report.hitAtK).toBe(1);
  });

  it("offline, reports the judge's figures as not run with the reason, and the retrieval figures as measured", async () => {
    const report = await runEvaluation({ db: store.db, embedder }, QUESTIONS, {
      config: DEFAULT_INFERENCE_CONFIG,
      collections: "all",
    });
    expect(report.judge.faithfulness).toMatchObject({ status: "not run" });
    expect(report.judge.factCoverage).toMatchObject({
      status: "not run",
      reason: expect.stringMatching(/no language model is configured/),
    });
    expect(report.questions[0].answer).toBeUndefined();
    expect(report.hitAtK).toBe(1);
  });
});
