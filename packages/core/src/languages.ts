// The languages of Sextant's pages, without the domain, so the website's first chunk can import them.

/** The languages the website and the local sign-in pages speak (BCP 47 tags). */
export const UI_LANGUAGES = [
  "en",
  "es",
  "fr",
  "de",
  "ja",
  "pt-BR",
  "zh-CN",
] as const;

export type UiLanguage = (typeof UI_LANGUAGES)[number];

/**
 * The first of `preferred` (most wanted first) Sextant speaks: an exact tag (`pt-BR`), else its base
 * language (`de-AT` → `de`, `pt-PT` → `pt-BR`, `zh-TW` → `zh-CN`); English when none matches.
 */
export function pickLanguage(preferred: readonly string[]): UiLanguage {
  for (const tag of preferred) {
    const wanted = tag.toLowerCase();
    const match =
      UI_LANGUAGES.find((l) => l.toLowerCase() === wanted) ??
      UI_LANGUAGES.find(
        (l) => l.split("-")[0].toLowerCase() === wanted.split("-")[0],
      );
    if (match) return match;
  }
  return "en";
}
