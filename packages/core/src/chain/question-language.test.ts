import { describe, expect, it } from "vitest";
import { FRAMING, FUNCTION_WORDS, questionLanguage } from "./question-language";

describe("questionLanguage", () => {
  it.each([
    ["What did the president say about taxes?", "en"],
    ["¿Qué dijo el presidente sobre los impuestos?", "es"],
    ["Qu'a dit le président sur les impôts ?", "fr"],
    ["Was hat der Präsident über Steuern gesagt?", "de"],
    ["大統領は税金について何と言いましたか？", "ja"],
    ["O que o presidente disse sobre os impostos?", "pt"],
    ["总统对税收说了什么？", "zh"],
    ["Inflation 1980", "en"],
  ])("reads %j as %s", (question, language) => {
    expect(questionLanguage(question)).toBe(language);
  });

  it("counts no word for two languages", () => {
    const all = Object.values(FUNCTION_WORDS).flat();
    expect(new Set(all).size).toBe(all.length);
  });

  it("frames answers in every language it detects", () => {
    for (const framing of Object.values(FRAMING)) {
      expect(framing.notice.length).toBeGreaterThan(10);
      expect(framing.nothingFound.length).toBeGreaterThan(5);
    }
  });
});
