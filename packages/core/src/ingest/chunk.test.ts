import { describe, expect, it } from "vitest";
import { chunkText } from "./chunk";
import { wordCount } from "../embeddings/text-features";

const sentence = (n: number) =>
  `Sentence ${n} talks about topic ${n} in seven words.`;

describe("chunkText", () => {
  const text = Array.from({ length: 60 }, (_, i) => sentence(i)).join(" ");
  const chunks = chunkText(text, { maxWords: 50, overlapWords: 15 });

  it("keeps every chunk within the word budget, in whole sentences", () => {
    for (const c of chunks) {
      expect(wordCount(c)).toBeLessThanOrEqual(50);
      expect(c).toMatch(/^Sentence \d+ .*words\.$/);
    }
  });

  it("loses no sentence and repeats the tail of each chunk at the start of the next", () => {
    for (let i = 0; i < 60; i++)
      expect(chunks.some((c) => c.includes(sentence(i)))).toBe(true);
    for (let i = 1; i < chunks.length; i++) {
      const lastOfPrevious = chunks[i - 1].split(/(?<=\.)\s/).pop()!;
      expect(chunks[i].startsWith(lastOfPrevious)).toBe(true);
    }
  });

  it("keeps a short final paragraph instead of dropping it", () => {
    const out = chunkText(`${"Long words here. ".repeat(20)}\n\nThe end.`, {
      maxWords: 50,
      overlapWords: 10,
    });
    expect(out.at(-1)).toContain("The end.");
  });

  it("splits a sentence longer than the budget by words", () => {
    const out = chunkText(
      Array.from({ length: 120 }, (_, i) => `w${i}`).join(" ") + ".",
      { maxWords: 50 },
    );
    expect(out.length).toBe(3);
    expect(out.join(" ")).toContain("w119.");
  });

  it("returns nothing for empty text", () => {
    expect(chunkText("  \n\n ")).toEqual([]);
  });
});
