import { describe, expect, it } from "vitest";
import { pickLanguage } from "./languages";

describe("pickLanguage", () => {
  it("takes the first language Sextant speaks, by tag then by base language", () => {
    expect(pickLanguage(["de-AT", "en"])).toBe("de");
    expect(pickLanguage(["pt-PT"])).toBe("pt-BR");
    expect(pickLanguage(["PT-br"])).toBe("pt-BR");
    expect(pickLanguage(["zh-TW", "ja"])).toBe("zh-CN");
    expect(pickLanguage(["nl", "fr-CA"])).toBe("fr");
    expect(pickLanguage(["nl", "sv"])).toBe("en");
    expect(pickLanguage([])).toBe("en");
  });
});
