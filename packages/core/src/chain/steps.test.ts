import { describe, expect, it } from "vitest";
import { promptText, type Prompt } from "./fenced-prompt";
import type { GenerateOptions, LanguageModel } from "./language-model";
import {
  answerFrom,
  checkedQuestion,
  classifyIntent,
  condenseQuestion,
  GREETING,
  meteredGenerate,
  NOTHING_FOUND,
  type StepContext,
} from "./steps";
import { DEFAULT_INFERENCE_CONFIG } from "../inference-config/defaults";
import type { InferenceConfig } from "../inference-config/schema";

/** A scripted model (no model can run here): answers `reply`, reports `usage` if given, records its prompts. */
function scripted(
  reply: string,
  usage?: { inputTokens: number; outputTokens: number },
) {
  const prompts: Prompt[] = [];
  const model: LanguageModel = {
    modelId: "scripted",
    async *generate(prompt: Prompt, options: GenerateOptions) {
      prompts.push(prompt);
      for (const word of reply.split(/(?<= )/)) yield word;
      if (usage && options.usage) Object.assign(options.usage, usage);
    },
  };
  return { model, prompts };
}

/** The default configuration with the given steps on a (scripted) OpenAI-compatible model. */
function withModels(
  ...steps: ("classify" | "condense" | "answer")[]
): InferenceConfig {
  const models = { ...DEFAULT_INFERENCE_CONFIG.models };
  for (const step of steps)
    models[step] = {
      ...models[step],
      provider: "openai-compatible",
      endpoint: "http://127.0.0.1:1/v1",
      modelId: "scripted",
    };
  return { ...DEFAULT_INFERENCE_CONFIG, models };
}

const context = (
  config: InferenceConfig,
  models: StepContext["models"] = {},
): StepContext => ({
  config,
  models,
  nonce: "n0nce",
  usage: { inputTokens: 0, outputTokens: 0 },
});

async function all(tokens: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const token of tokens) text += token;
  return text;
}

describe("the chain's steps", () => {
  it("checkedQuestion trims, and refuses an empty or over-long question naming the field", () => {
    expect(checkedQuestion("  why?  ", DEFAULT_INFERENCE_CONFIG)).toBe("why?");
    for (const bad of [
      "   ",
      "x".repeat(DEFAULT_INFERENCE_CONFIG.guardrails.maxQuestionLength + 1),
    ])
      expect(() => checkedQuestion(bad, DEFAULT_INFERENCE_CONFIG)).toThrow(
        expect.objectContaining({
          fields: [expect.objectContaining({ path: "question" })],
        }),
      );
  });

  it("classifyIntent: the rule offline; the model's JSON when configured; the rule when the model's answer is not JSON", async () => {
    const offline = context(DEFAULT_INFERENCE_CONFIG);
    expect(await classifyIntent(offline, "Hello!")).toBe("chitchat");
    expect(await classifyIntent(offline, "What did the canal cost?")).toBe(
      "question",
    );
    const says = (reply: string) =>
      context(withModels("classify"), { classify: scripted(reply).model });
    expect(
      await classifyIntent(
        says('Sure: {"intent": "chitchat"}'),
        "What did the canal cost?",
      ),
    ).toBe("chitchat");
    expect(await classifyIntent(says('{"intent": "question"}'), "Hello!")).toBe(
      "question",
    );
    expect(
      await classifyIntent(says("I think it is small talk"), "Hello!"),
    ).toBe("chitchat");
    // A model given for a step the configuration keeps offline is not called.
    const unused = scripted('{"intent": "chitchat"}');
    expect(
      await classifyIntent(
        context(DEFAULT_INFERENCE_CONFIG, { classify: unused.model }),
        "Why?",
      ),
    ).toBe("question");
    expect(unused.prompts).toHaveLength(0);
  });

  it("condenseQuestion: as asked without history; the model's rewrite; offline, a follow-up borrows the previous question's words", async () => {
    const history = [
      { role: "user" as const, content: "What did the Erie canal cost?" },
      { role: "assistant" as const, content: "Seven million dollars [1]." },
    ];
    const rewriter = scripted("  How long did the Erie canal take to build?  ");
    const withModel = context(withModels("condense"), {
      condense: rewriter.model,
    });
    expect(await condenseQuestion(withModel, "How long did it take?", [])).toBe(
      "How long did it take?",
    );
    expect(rewriter.prompts).toHaveLength(0);
    expect(
      await condenseQuestion(withModel, "How long did it take?", history),
    ).toBe("How long did the Erie canal take to build?");
    expect(promptText(rewriter.prompts[0])).toContain("Seven million dollars");
    const offline = context(DEFAULT_INFERENCE_CONFIG);
    expect(
      await condenseQuestion(offline, "How long did it take?", history),
    ).toBe("What did the Erie canal cost? How long did it take?");
    expect(
      await condenseQuestion(
        offline,
        "Which tariffs were lowered on wool?",
        history,
      ),
    ).toBe("Which tariffs were lowered on wool?");
  });

  it("meteredGenerate adds the provider's token counts, or estimates them when it reports none", async () => {
    const config = withModels("answer");
    const prompt: Prompt = { system: "s".repeat(40), user: "u".repeat(40) };
    const reported = context(config);
    expect(
      await all(
        meteredGenerate(
          reported,
          "answer",
          scripted("one two", { inputTokens: 7, outputTokens: 2 }).model,
          prompt,
        ),
      ),
    ).toBe("one two");
    expect(reported.usage).toEqual({ inputTokens: 7, outputTokens: 2 });
    const estimated = context(config);
    await all(
      meteredGenerate(estimated, "answer", scripted("abcdefgh").model, prompt),
    );
    expect(estimated.usage.outputTokens).toBe(2);
    expect(estimated.usage.inputTokens).toBe(
      Math.ceil(promptText(prompt).length / 4),
    );
  });

  it("answerFrom: the greeting or 'nothing found' offline, and never the model when sources are required and none were found", async () => {
    const offline = context(DEFAULT_INFERENCE_CONFIG);
    const input = { question: "Hello!", sources: [], history: [] };
    expect(
      await all(answerFrom(offline, { ...input, intent: "chitchat" })),
    ).toBe(GREETING);
    expect(
      await all(answerFrom(offline, { ...input, intent: "question" })),
    ).toBe(NOTHING_FOUND);
    const answerer = scripted("Invented.");
    const strict = context(
      {
        ...withModels("answer"),
        guardrails: {
          ...DEFAULT_INFERENCE_CONFIG.guardrails,
          requireSources: true,
        },
      },
      { answer: answerer.model },
    );
    expect(
      await all(answerFrom(strict, { ...input, intent: "question" })),
    ).toBe(NOTHING_FOUND);
    expect(answerer.prompts).toHaveLength(0);
  });
});
