import {
  fencedPrompt,
  numberedSources,
  promptNonce,
} from "../chain/fenced-prompt";
import type { LanguageModel } from "../chain/language-model";
import type { InferenceConfig } from "../inference-config/schema";
import type { RetrievedChunk } from "../retrieval/retrieve-hybrid";

/** The judge prompt when the configuration sets none (`prompts.judge`). */
export const DEFAULT_JUDGE_PROMPT =
  'You grade an assistant\'s answer for an evaluation. Read {{question}}, {{answer}}, {{sources}} and {{facts}} (one per line; there may be none).\n\nReply with JSON only, in this shape: {"faithful": true or false, "faithfulReason": "one sentence", "facts": [{"fact": "the expected fact", "covered": true or false}], "factsReason": "one sentence"}.\n\n"faithful" is true when every claim of the answer is supported by the numbered sources, and false when any claim is not (an answer that says it does not know is faithful). List every expected fact once in "facts"; a fact is covered when the answer states it, in any words.';

/** What the judge said of one answer. */
export interface JudgeVerdict {
  /** Every claim supported by the cited passages; null when the judge's reply could not be read. */
  readonly faithful: boolean | null;
  readonly reason: string;
  /** Each expected fact, and whether the answer states it. */
  readonly facts: readonly { fact: string; covered: boolean }[];
}

/**
 * The configured answer model judges an answer: faithfulness to the passages it drew on, and
 * coverage of the expected facts, with a reason, from the configuration's judge prompt (fenced
 * like every prompt: the answer and the passages are data). A reply that is not the JSON asked
 * for counts as not judged, never as a failure of the answer.
 */
export async function judgeAnswer(
  model: LanguageModel,
  config: InferenceConfig,
  input: {
    readonly question: string;
    readonly answer: string;
    readonly sources: readonly RetrievedChunk[];
    readonly expectedFacts: readonly string[];
  },
  signal?: AbortSignal,
): Promise<JudgeVerdict> {
  const prompt = fencedPrompt(
    config.prompts.judge ?? DEFAULT_JUDGE_PROMPT,
    {
      question: input.question,
      answer: input.answer,
      sources: numberedSources(input.sources),
      facts: input.expectedFacts.join("\n"),
    },
    promptNonce(),
  );
  let reply = "";
  for await (const token of model.generate(prompt, {
    ...config.models.answer,
    temperature: 0,
    signal,
  }))
    reply += token;
  try {
    const parsed = JSON.parse(
      reply.slice(reply.indexOf("{"), reply.lastIndexOf("}") + 1),
    ) as {
      faithful?: unknown;
      faithfulReason?: unknown;
      factsReason?: unknown;
      facts?: { fact?: unknown; covered?: unknown }[];
    };
    if (typeof parsed.faithful !== "boolean") throw new Error("no verdict");
    const said = Array.isArray(parsed.facts) ? parsed.facts : [];
    return {
      faithful: parsed.faithful,
      reason: [parsed.faithfulReason, parsed.factsReason]
        .filter((r) => typeof r === "string" && r)
        .join(" "),
      // Each expected fact once, in the set's order; one the judge left out is not covered.
      facts: input.expectedFacts.map((fact, i) => ({
        fact,
        covered:
          (said.find((f) => f.fact === fact) ?? said[i])?.covered === true,
      })),
    };
  } catch {
    return {
      faithful: null,
      reason: `The judge's reply was not the JSON asked for: ${reply.slice(0, 200)}`,
      facts: [],
    };
  }
}
