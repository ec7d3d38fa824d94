import { describe, expect, it } from "vitest";
import { parseEvaluationSet, evaluationSetToJsonl } from "./evaluation-set";
import { meanScores, relevantRanks, scoreQuestion } from "./metrics";

const p = (title: string, source = `/docs/${title}.txt`) => ({ title, source });

describe("retrieval metrics (against hand-computed examples)", () => {
  it("finds each expected source once, by title or source, ignoring case", () => {
    const passages = [
      p("Other"),
      p("1982 Reagan"),
      p("1982 reagan"),
      p("x", "/s/1990_bush.txt"),
    ];
    expect(relevantRanks(passages, ["1982 reagan", "1990_BUSH"], 5)).toEqual([
      2, 4,
    ]);
    // Only the top k count.
    expect(relevantRanks(passages, ["1990_bush"], 3)).toEqual([]);
  });

  it("scores a question: hit, reciprocal rank, nDCG@k", () => {
    // Expected A and B; found at ranks 2 and 4 of k = 5.
    // DCG = 1/log2(3) + 1/log2(5) = 0.63093 + 0.43068 = 1.06161
    // IDCG = 1/log2(2) + 1/log2(3) = 1 + 0.63093 = 1.63093; nDCG = 0.65093
    const s = scoreQuestion(
      [p("x"), p("A"), p("y"), p("B"), p("z")],
      ["A", "B"],
      5,
    );
    expect(s.hit).toBe(true);
    expect(s.reciprocalRank).toBe(0.5);
    expect(s.ndcg).toBeCloseTo(0.65093, 4);
    // A perfect ranking scores 1; a repeated document gains nothing more.
    expect(scoreQuestion([p("A"), p("B")], ["A", "B"], 5).ndcg).toBe(1);
    expect(scoreQuestion([p("A"), p("A")], ["A", "B"], 5).ndcg).toBeCloseTo(
      1 / 1.63093,
      4,
    );
    // Nothing found: zeros, never NaN.
    expect(scoreQuestion([p("x")], ["A"], 5)).toEqual({
      hit: false,
      reciprocalRank: 0,
      ndcg: 0,
      ranks: [],
    });
    // More expected sources than k: the ideal has only k of them.
    expect(scoreQuestion([p("A")], ["A", "B", "C"], 1).ndcg).toBe(1);
  });

  it("averages over questions: hit@k, MRR, nDCG", () => {
    const scores = [
      scoreQuestion([p("A")], ["A"], 5), // hit, RR 1, nDCG 1
      scoreQuestion([p("x"), p("x"), p("A")], ["A"], 5), // hit, RR 1/3, nDCG 1/log2(4) = 0.5
      scoreQuestion([p("x")], ["A"], 5), // miss
      scoreQuestion([p("x"), p("A")], ["A"], 5), // hit, RR 0.5, nDCG 1/log2(3) = 0.63093
    ];
    const mean = meanScores(scores);
    expect(mean.hitAtK).toBe(0.75);
    expect(mean.mrr).toBeCloseTo((1 + 1 / 3 + 0 + 0.5) / 4, 6);
    expect(mean.ndcg).toBeCloseTo((1 + 0.5 + 0 + 0.63093) / 4, 4);
    expect(meanScores([])).toEqual({ hitAtK: 0, mrr: 0, ndcg: 0 });
  });
});

describe("evaluation sets as JSONL", () => {
  it("reads one question per line, and writes it back the same", () => {
    const jsonl =
      '{"question":"Who bought Louisiana?","expectedSources":["1803_thomas_jefferson"],"expectedFacts":["from France"]}\n\n' +
      '{"question":"What of the canal?","expectedSources":["1825"]}\n';
    const set = parseEvaluationSet(jsonl);
    expect(set).toEqual([
      {
        question: "Who bought Louisiana?",
        expectedSources: ["1803_thomas_jefferson"],
        expectedFacts: ["from France"],
      },
      {
        question: "What of the canal?",
        expectedSources: ["1825"],
        expectedFacts: [],
      },
    ]);
    expect(parseEvaluationSet(evaluationSetToJsonl(set))).toEqual(set);
  });

  it("names every bad line and field, and reads nothing from such a set", () => {
    const bad =
      '{"question":"ok","expectedSources":["a"]}\n' +
      "not json\n" +
      '{"question":"","expectedSources":[]}\n' +
      '{"question":"q","expectedSources":["a"],"extra":1}\n';
    expect(() => parseEvaluationSet(bad)).toThrowError(
      expect.objectContaining({
        fields: [
          { path: "line 2", message: "is not JSON" },
          { path: "line 3: question", message: "must not be empty" },
          {
            path: "line 3: expectedSources",
            message: "must name at least one source",
          },
          { path: "line 4", message: "Unrecognized key(s) in object: 'extra'" },
        ],
      }),
    );
    expect(() => parseEvaluationSet("\n\n")).toThrowError(
      expect.objectContaining({
        fields: [{ path: "(set)", message: "holds no question" }],
      }),
    );
  });
});
