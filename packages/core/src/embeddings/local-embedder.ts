/* eslint-disable no-bitwise -- FNV-1a hashing is bitwise arithmetic by definition */
import type { Embedder } from "./embedder";
import { contentWords } from "./text-features";

/** FNV-1a, 32 bit: a fast, stable string hash (the same on every machine and run). */
function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The offline default embedder: deterministic feature hashing, no model and no download. Each
 * stemmed content word (weight 1) and each pair of neighbouring words (weight 0.5) is hashed to
 * one of `dimensions` buckets with a hashed sign; term counts are log-damped and the vector is
 * L2-normalised, so cosine similarity measures shared vocabulary. It is lexical, not semantic:
 * it does not know that "war" and "conflict" are related. Use Bedrock or an OpenAI-compatible
 * model for semantic search.
 */
export class LocalEmbedder implements Embedder {
  readonly modelId = "hashing-v1";
  constructor(readonly dimensions = 384) {}

  async embed(texts: readonly string[]): Promise<number[][]> {
    return texts.map((t) => this.embedOne(t));
  }

  /** Synchronous form, for benchmarks and tests. */
  embedOne(text: string): number[] {
    const counts = new Map<string, number>();
    const words = contentWords(text);
    words.forEach((w, i) => {
      counts.set(w, (counts.get(w) ?? 0) + 1);
      if (i > 0)
        counts.set(
          `${words[i - 1]} ${w}`,
          (counts.get(`${words[i - 1]} ${w}`) ?? 0) + 0.5,
        );
    });
    const v = new Array<number>(this.dimensions).fill(0);
    for (const [feature, count] of counts) {
      const h = fnv1a(feature);
      const sign = fnv1a(feature, 0x9747b28c) & 1 ? 1 : -1;
      v[h % this.dimensions] += sign * (1 + Math.log(count));
    }
    const norm = Math.hypot(...v) || 1;
    return v.map((x) => Math.round((x / norm) * 1e6) / 1e6);
  }
}
