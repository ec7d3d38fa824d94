import { describe, expect, it } from "vitest";
import { SIGN_IN_MESSAGES, signInLanguage } from "./sign-in-messages.js";

const from = (acceptLanguage?: string) =>
  signInLanguage({ headers: { "accept-language": acceptLanguage } });

describe("signInLanguage", () => {
  it("follows Accept-Language by preference, by tag then by base language, English otherwise", () => {
    expect(from("de-DE,de;q=0.9,en;q=0.8")).toBe("de");
    expect(from("nl;q=0.9, ja;q=0.8")).toBe("ja");
    expect(from("en;q=0.1, fr-CA")).toBe("fr");
    expect(from("pt-PT")).toBe("pt-BR");
    expect(from("zh-TW,zh;q=0.9")).toBe("zh-CN");
    expect(from("es;q=0")).toBe("en");
    expect(from(undefined)).toBe("en");
  });

  it("says everything in each language", () => {
    for (const m of Object.values(SIGN_IN_MESSAGES))
      for (const text of Object.values(m))
        expect(typeof text === "function" ? text("X") : text).toMatch(/\S/);
  });
});
