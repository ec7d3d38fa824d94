import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  deniedTopicOf,
  LocalEmbedder,
  redactPii,
  type DeniedTopic,
} from "@sextant/core/rag";
import { percentile, round, sotuDataDir } from "@sextant/local";

/** Three topics an organisation might rule out, with the examples an administrator would write. */
export const SAMPLE_DENIED_TOPICS: DeniedTopic[] = [
  {
    name: "Investment advice",
    examples: [
      "Which stocks should I buy?",
      "Should I invest my savings in bitcoin?",
      "What shares will go up next year?",
      "How should I invest my retirement money?",
    ],
    message: "I can't give investment advice.",
  },
  {
    name: "Medical advice",
    examples: [
      "What medicine should I take for my headache?",
      "Is this mole on my skin cancer?",
      "How much ibuprofen can I take?",
      "Should I stop taking my prescription?",
    ],
    message: "I can't give medical advice.",
  },
  {
    name: "Legal advice",
    examples: [
      "Can I sue my landlord?",
      "How do I get out of my employment contract?",
      "Do I need a lawyer for my divorce?",
    ],
    message: "I can't give legal advice.",
  },
];

/** Questions on those topics, worded otherwise than their examples. */
const ON_TOPIC = [
  "What stocks should I buy now?",
  "Should I put my savings into bitcoin?",
  "Which medicine should I take for a headache?",
  "How much ibuprofen is safe to take?",
  "Should I invest my retirement savings in shares?",
  "Can I sue my neighbour?",
];

/**
 * What the guardrails add to a message, offline: redacting the question and its answer (a
 * 2,000-character passage of an address, as an extractive answer quotes) before they are stored,
 * and checking the question against three denied topics with the offline embedder. Also the
 * topic check's false positives on the evaluation questions, and its catch on paraphrases.
 */
export async function benchGuardrails(questionFiles: readonly string[]) {
  const questions = questionFiles.flatMap((f) =>
    (JSON.parse(readFileSync(f, "utf8")) as { question: string }[]).map(
      (q) => q.question,
    ),
  );
  const dir = sotuDataDir();
  const answers = readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .slice(0, questions.length)
    .map((f) => readFileSync(join(dir, f), "utf8").slice(0, 2000));
  const embedder = new LocalEmbedder();
  await deniedTopicOf(embedder, "warm up", SAMPLE_DENIED_TOPICS); // the examples' vectors, once
  const redactMs: number[] = [];
  const topicMs: number[] = [];
  let declined = 0;
  for (let round_ = 0; round_ < 3; round_++)
    for (const [i, q] of questions.entries()) {
      let started = performance.now();
      redactPii(q);
      redactPii(answers[i % answers.length]);
      redactMs.push(performance.now() - started);
      started = performance.now();
      const topic = await deniedTopicOf(embedder, q, SAMPLE_DENIED_TOPICS);
      topicMs.push(performance.now() - started);
      if (round_ === 0 && topic) declined++;
    }
  let caught = 0;
  for (const q of ON_TOPIC)
    if (await deniedTopicOf(embedder, q, SAMPLE_DENIED_TOPICS)) caught++;
  const perMessage = redactMs.map((r, i) => r + topicMs[i]);
  return {
    questions: questions.length,
    redactP50Ms: round(percentile(redactMs, 50), 3),
    topicCheckP50Ms: round(percentile(topicMs, 50), 3),
    perMessageP50Ms: round(percentile(perMessage, 50), 3),
    perMessageP95Ms: round(percentile(perMessage, 95), 3),
    falsePositives: declined,
    paraphrasesCaught: `${caught} of ${ON_TOPIC.length}`,
  };
}
