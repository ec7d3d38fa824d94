// Retrieval metrics against expected sources, pure functions (the website may import them too).

/** A retrieved passage, as far as the metrics need it: its document's title and source. */
export interface RankedSource {
  readonly title: string;
  readonly source: string;
}

/** Whether a passage's document is the one an expected source names (title or source contains it, ignoring case). */
export const matchesExpected = (
  passage: RankedSource,
  expected: string,
): boolean => {
  const wanted = expected.toLowerCase();
  return (
    passage.title.toLowerCase().includes(wanted) ||
    passage.source.toLowerCase().includes(wanted)
  );
};

/**
 * The rank (1-based) at which each expected source is first found in the top `k`, in the order of
 * the passages: a second passage of an already-found source counts for nothing, so one document
 * repeated cannot raise a score.
 */
export function relevantRanks(
  passages: readonly RankedSource[],
  expectedSources: readonly string[],
  k: number,
): number[] {
  const found = new Set<string>();
  const ranks: number[] = [];
  passages.slice(0, k).forEach((p, i) => {
    const newly = expectedSources.find(
      (e) => !found.has(e) && matchesExpected(p, e),
    );
    if (newly === undefined) return;
    // Every expected source this passage names is found by it.
    for (const e of expectedSources) if (matchesExpected(p, e)) found.add(e);
    ranks.push(i + 1);
  });
  return ranks;
}

/** Per question: whether any expected source is in the top k, the reciprocal rank of the first, and nDCG@k. */
export interface QuestionScores {
  readonly hit: boolean;
  /** 1 / rank of the first passage of an expected source; 0 when none is in the top k. */
  readonly reciprocalRank: number;
  /**
   * Normalised discounted cumulative gain at k, binary relevance: each expected source found
   * gains 1 / log2(rank + 1), over the gain of the best ranking possible (every expected source,
   * up to k of them, at the top).
   */
  readonly ndcg: number;
  /** Ranks of the passages that found an expected source. */
  readonly ranks: readonly number[];
}

export function scoreQuestion(
  passages: readonly RankedSource[],
  expectedSources: readonly string[],
  k: number,
): QuestionScores {
  const ranks = relevantRanks(passages, expectedSources, k);
  const gain = (rank: number) => 1 / Math.log2(rank + 1);
  const dcg = ranks.reduce((sum, r) => sum + gain(r), 0);
  let ideal = 0;
  for (let r = 1; r <= Math.min(k, expectedSources.length); r++)
    ideal += gain(r);
  return {
    hit: ranks.length > 0,
    reciprocalRank: ranks.length ? 1 / ranks[0] : 0,
    ndcg: ideal ? dcg / ideal : 0,
    ranks,
  };
}

/** The mean of each score over a set's questions: hit@k, MRR, nDCG@k. */
export function meanScores(scores: readonly QuestionScores[]): {
  hitAtK: number;
  mrr: number;
  ndcg: number;
} {
  const mean = (f: (s: QuestionScores) => number) =>
    scores.length
      ? scores.reduce((sum, s) => sum + f(s), 0) / scores.length
      : 0;
  return {
    hitAtK: mean((s) => (s.hit ? 1 : 0)),
    mrr: mean((s) => s.reciprocalRank),
    ndcg: mean((s) => s.ndcg),
  };
}
