import { describe, expect, it } from "vitest";
import { relatedStems, relatedWordsTable } from "./related-words";
import { RELATED_WORDS_MIN_SIMILARITY } from "./related-words-table";
import { RELATED_WORD_WEIGHT } from "../inference-config/defaults";

describe("relatedStems", () => {
  it("gives the stems of words close in meaning, weighted by similarity", () => {
    const { stems, weights, words } = relatedStems("The PURCHASE of Louisiana");
    const acquisition = stems.indexOf("acquisit");
    expect(acquisition).toBeGreaterThanOrEqual(0);
    expect(weights[acquisition]).toBeCloseTo(0.79 * RELATED_WORD_WEIGHT);
    expect(words[acquisition]).toBe("purchase");
    // The word's own stem ("purchas") is not related to itself.
    expect(stems).not.toContain("purchas");
  });

  it("gives nothing at weight 0 (switched off in the inference configuration)", () => {
    expect(relatedStems("The purchase of Louisiana", 0)).toEqual({
      stems: [],
      weights: [],
      words: [],
    });
  });

  it("gives nothing for words it does not know", () => {
    expect(relatedStems("zzyzx 1837")).toEqual({
      stems: [],
      weights: [],
      words: [],
    });
  });

  it("ships a generated table of stems with similarities from the cut-off to 1", () => {
    const entries = [...relatedWordsTable()];
    expect(entries.length).toBeGreaterThan(10_000);
    for (const [word, related] of entries) {
      expect(word).toMatch(/^[a-z]{2,}$/);
      expect(related.length).toBeGreaterThan(0);
      for (const [stem, similarity] of related) {
        expect(stem).toMatch(/^[a-z]+$/);
        expect(similarity).toBeGreaterThanOrEqual(RELATED_WORDS_MIN_SIMILARITY);
        expect(similarity).toBeLessThanOrEqual(1);
      }
    }
  });
});
