import { FRAMING, questionLanguage } from "./question-language";
import { contentWords } from "../embeddings/text-features";
import type { RetrievedChunk } from "../retrieval/retrieve-hybrid";

/** Said at the start of every extractive answer in English, so it never passes for a language model. */
export const EXTRACTIVE_NOTICE = FRAMING.en.notice;

const sentences = new Intl.Segmenter("en", { granularity: "sentence" });

/**
 * The offline answerer: quotes the sentences of the retrieved passages that share the most words
 * with the question, each with the number of its source, in source order. It composes nothing of
 * its own beyond the notice, and says when nothing relevant was found; both in the question's
 * language, the quotes as the documents have them.
 */
export function extractiveAnswer(
  question: string,
  sources: readonly RetrievedChunk[],
  maxSentences = 3,
): string {
  const wanted = new Set(contentWords(question));
  const scored = sources.flatMap((source, i) =>
    [...sentences.segment(source.text)].map((s) => {
      const text = s.segment.trim();
      const words = new Set(contentWords(text));
      const overlap = [...wanted].filter((w) => words.has(w)).length;
      return {
        text,
        source: i + 1,
        score: overlap + (sources.length - i) * 0.01,
      };
    }),
  );
  const best = scored
    .filter((s) => s.score >= 1 && s.text.length > 20)
    .sort((a, b) => b.score - a.score)
    .slice(0, maxSentences)
    .sort((a, b) => a.source - b.source);
  const framing = FRAMING[questionLanguage(question)];
  if (best.length === 0) return `${framing.notice}\n\n${framing.nothingFound}`;
  return `${framing.notice}\n\n${best.map((s) => `"${s.text}" [${s.source}]`).join("\n\n")}`;
}
