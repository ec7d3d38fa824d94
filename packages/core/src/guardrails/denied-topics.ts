import type { Embedder } from "../embeddings/embedder";
import type { InferenceConfig } from "../inference-config/schema";

/** A topic the configuration rules out. */
export type DeniedTopic = NonNullable<
  InferenceConfig["guardrails"]["deniedTopics"]
>[number];

/**
 * How close a question must come to one of a topic's examples (cosine similarity of their
 * embeddings) to be declined, unless the configuration says otherwise. Measured with the offline
 * embedder on the benchmark's 120 questions and three sample topics: the closest question came to
 * 0.44, paraphrases of the examples to 0.65–1 (docs/benchmarks.md).
 */
export const DENIED_TOPIC_SIMILARITY = 0.6;

const cosine = (a: readonly number[], b: readonly number[]) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
};

/** Examples' vectors by embedder, so each example is embedded once per process, not per question. */
const exampleVectors = new WeakMap<Embedder, Map<string, number[]>>();

async function vectorsOf(
  embedder: Embedder,
  texts: readonly string[],
): Promise<number[][]> {
  let cache = exampleVectors.get(embedder);
  if (!cache) exampleVectors.set(embedder, (cache = new Map()));
  const missing = [...new Set(texts.filter((t) => !cache.has(t)))];
  if (missing.length)
    (await embedder.embed(missing)).forEach((v, i) => cache.set(missing[i], v));
  return texts.map((t) => cache.get(t)!);
}

/**
 * The denied topic a question is about: the topic with an example closest to it, when that comes
 * to the threshold or above; undefined otherwise. The configuration's own embedder measures it,
 * so it works offline as with any model.
 */
export async function deniedTopicOf(
  embedder: Embedder,
  question: string,
  topics: readonly DeniedTopic[],
  threshold = DENIED_TOPIC_SIMILARITY,
): Promise<DeniedTopic | undefined> {
  const examples = topics.flatMap((t) => t.examples.map((e) => ({ t, e })));
  if (examples.length === 0) return undefined;
  const [[q], vectors] = await Promise.all([
    embedder.embed([question]),
    vectorsOf(
      embedder,
      examples.map((x) => x.e),
    ),
  ]);
  let best: { topic: DeniedTopic; similarity: number } | undefined;
  vectors.forEach((v, i) => {
    const similarity = cosine(q, v);
    if (similarity >= threshold && similarity > (best?.similarity ?? -1))
      best = { topic: examples[i].t, similarity };
  });
  return best?.topic;
}
