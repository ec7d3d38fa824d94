// Small, dependency-free text features shared by the local embedder and the chunker.

const STOP_WORDS = new Set(
  (
    "a about above after again against all am an and any are as at be because been before being below between both but by " +
    "can could did do does doing down during each few for from further had has have having he her here hers herself him " +
    "himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other " +
    "our ours ourselves out over own same she should so some such than that the their theirs them themselves then there " +
    "these they this those through to too under until up upon very was we were what when where which while who whom why " +
    "will with would you your yours yourself yourselves shall may must also"
  ).split(" "),
);

/** A light suffix stripper so "taxes", "taxed" and "taxing" meet at "tax". Not a full stemmer, on purpose. */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  for (const suffix of [
    "ations",
    "ation",
    "ments",
    "ment",
    "ings",
    "ing",
    "ies",
    "ied",
    "ed",
    "es",
    "ly",
    "s",
  ]) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
      const base = word.slice(0, -suffix.length);
      return suffix === "ies" || suffix === "ied" ? `${base}y` : base;
    }
  }
  return word;
}

/** Lower-cased, stemmed content words of a text (stop words and single characters dropped). */
export function contentWords(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((w) => w.length > 1 && !STOP_WORDS.has(w)).map(stem);
}

/** Number of words, for chunk budgets (about 1.3 tokens per English word). */
export const wordCount = (text: string): number =>
  (text.match(/\S+/g) ?? []).length;
