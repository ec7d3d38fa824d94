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
 * The embedder for one question's chain: it remembers the vectors of the texts it embedded, so the
 * denied-topic check and retrieval, which both embed the question, embed it once. One per
 * question: it keeps what it embedded until the question is answered.
 */
export function questionEmbedder(embedder: Embedder): Embedder {
  const seen = new Map<string, Promise<number[]>>();
  const once = (text: string) => {
    let vector = seen.get(text);
    if (!vector) {
      vector = embedder.embed([text]).then(([v]) => v);
      // A failed embedding is tried again by the next caller, not remembered.
      vector.catch(() => seen.delete(text));
      seen.set(text, vector);
    }
    return vector;
  };
  return {
    modelId: embedder.modelId,
    dimensions: embedder.dimensions,
    embed: (texts) => Promise.all(texts.map(once)),
  };
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
  /** What embeds the question, when the chain shares its vector with retrieval ({@link questionEmbedder}). */
  embedsQuestion: Embedder = embedder,
): Promise<DeniedTopic | undefined> {
  const examples = topics.flatMap((t) => t.examples.map((e) => ({ t, e })));
  if (examples.length === 0) return undefined;
  const [[q], vectors] = await Promise.all([
    embedsQuestion.embed([question]),
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

/** A denied topic as Amazon Bedrock Guardrails takes it (`GuardrailTopicConfig`). */
export interface BedrockDeniedTopic {
  readonly name: string;
  readonly definition: string;
  readonly examples: string[];
  readonly type: "DENY";
}

/**
 * What a Bedrock guardrail's denied topic may hold, per `GuardrailTopicConfig`: a name of letters,
 * digits, spaces and `-_!?.` up to 100 characters, a definition up to 200, and up to 5 examples of
 * up to 100 characters each.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GuardrailTopicConfig.html
 */
export const BEDROCK_TOPIC_LIMITS = {
  name: /^[0-9a-zA-Z\-_ !?.]{1,100}$/,
  definition: 200,
  examples: 5,
  example: 100,
} as const;

/** The configuration's denied topics as a Bedrock guardrail's, with what could not be carried. */
export interface BedrockTopicsMapping {
  readonly topics: BedrockDeniedTopic[];
  /** Topics that cannot become Bedrock topics: each with the field and the reason. */
  readonly problems: { path: string; message: string }[];
  /** Examples the local check uses that the Bedrock topic leaves out (over 5, or too long). */
  readonly leftOut: { topic: string; example: string; reason: string }[];
}

/**
 * Maps `guardrails.deniedTopics` to a Bedrock guardrail's denied topics: the description (or the
 * name) is the definition, and the first 5 examples that fit are the examples. A topic whose name
 * or definition Bedrock would refuse is a problem, named by its path, rather than renamed or cut.
 */
export function bedrockTopicsOf(
  topics: readonly DeniedTopic[],
): BedrockTopicsMapping {
  const mapping: BedrockTopicsMapping = {
    topics: [],
    problems: [],
    leftOut: [],
  };
  topics.forEach((topic, i) => {
    const path = `guardrails.deniedTopics[${i}]`;
    const definition = topic.description?.trim() || topic.name;
    let ok = true;
    if (!BEDROCK_TOPIC_LIMITS.name.test(topic.name)) {
      ok = false;
      mapping.problems.push({
        path: `${path}.name`,
        message: `Bedrock takes topic names of letters, digits, spaces and - _ ! ? . only, up to 100 characters: '${topic.name}'`,
      });
    }
    if (definition.length > BEDROCK_TOPIC_LIMITS.definition) {
      ok = false;
      mapping.problems.push({
        path: `${path}.${topic.description ? "description" : "name"}`,
        message: `Bedrock takes a topic definition of up to ${BEDROCK_TOPIC_LIMITS.definition} characters; this one has ${definition.length}`,
      });
    }
    const examples: string[] = [];
    for (const example of topic.examples) {
      const reason =
        example.length > BEDROCK_TOPIC_LIMITS.example
          ? `longer than ${BEDROCK_TOPIC_LIMITS.example} characters`
          : examples.length === BEDROCK_TOPIC_LIMITS.examples
            ? `Bedrock takes ${BEDROCK_TOPIC_LIMITS.examples} examples per topic`
            : undefined;
      if (reason) mapping.leftOut.push({ topic: topic.name, example, reason });
      else examples.push(example);
    }
    if (ok)
      mapping.topics.push({
        name: topic.name,
        definition,
        examples,
        type: "DENY",
      });
  });
  return mapping;
}
