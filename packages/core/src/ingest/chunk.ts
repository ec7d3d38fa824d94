import type { PassageLocation, Section } from "./location";
import { wordCount } from "../embeddings/text-features";

/** How documents are cut into passages. */
export interface ChunkOptions {
  /** Most words in a chunk (about 1.3 tokens each). @default 180 */
  readonly maxWords?: number;
  /** Words of the previous chunk repeated at the start of the next, in whole sentences. @default 40 */
  readonly overlapWords?: number;
}

const sentences = new Intl.Segmenter("en", { granularity: "sentence" });

/** Splits text into sentences, treating blank lines as hard paragraph ends. */
function splitSentences(
  text: string,
): { text: string; paragraphEnd: boolean }[] {
  const out: { text: string; paragraphEnd: boolean }[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const parts = [...sentences.segment(paragraph.replace(/\s+/g, " ").trim())]
      .map((s) => s.segment.trim())
      .filter(Boolean);
    parts.forEach((s, i) =>
      out.push({ text: s, paragraphEnd: i === parts.length - 1 }),
    );
  }
  return out;
}

/**
 * Cuts text into passages of whole sentences within a word budget, preferring paragraph ends,
 * with a sentence-level overlap so a fact split across a boundary is found from either side.
 * A single sentence longer than the budget is split by words.
 */
export function chunkText(text: string, options: ChunkOptions = {}): string[] {
  const maxWords = options.maxWords ?? 180;
  const overlapWords = options.overlapWords ?? 40;
  const units = splitSentences(text).flatMap((s) => {
    const words = s.text.split(" ");
    if (words.length <= maxWords) return [s];
    const pieces: { text: string; paragraphEnd: boolean }[] = [];
    for (let i = 0; i < words.length; i += maxWords)
      pieces.push({
        text: words.slice(i, i + maxWords).join(" "),
        paragraphEnd: false,
      });
    pieces[pieces.length - 1].paragraphEnd = s.paragraphEnd;
    return pieces;
  });

  const chunks: string[] = [];
  let current: string[] = [];
  let size = 0;
  let carriedUnits = 0; // leading sentences of `current` repeated from the previous chunk
  for (const unit of units) {
    const n = wordCount(unit.text);
    if (size + n > maxWords && current.length > carriedUnits) {
      chunks.push(current.join(" "));
      // Carry whole trailing sentences, up to the overlap budget, into the next chunk.
      const carried: string[] = [];
      let carriedWords = 0;
      for (let j = current.length - 1; j >= 0; j--) {
        const w = wordCount(current[j]);
        if (carriedWords + w > overlapWords) break;
        carried.unshift(current[j]);
        carriedWords += w;
      }
      current = carried;
      size = carriedWords;
      carriedUnits = carried.length;
    } else if (size + n > maxWords) {
      // Only carried-over sentences so far, and no room: drop them rather than repeat them alone.
      current = [];
      size = 0;
      carriedUnits = 0;
    }
    current.push(unit.text);
    size += n;
    // Close at a paragraph end once the chunk is reasonably full.
    if (unit.paragraphEnd && size >= maxWords * 0.6) {
      chunks.push(current.join(" "));
      current = [];
      size = 0;
      carriedUnits = 0;
    }
  }
  if (current.length > carriedUnits) chunks.push(current.join(" "));
  return chunks;
}

/** A passage and where it sits in its document. */
export interface Chunk {
  readonly text: string;
  readonly location?: PassageLocation;
}

/** Cuts each section on its own, so a passage never spans two pages, slides or row groups, and keeps its location. */
export function chunkSections(
  sections: readonly Section[],
  options: ChunkOptions = {},
): Chunk[] {
  return sections.flatMap((section) =>
    chunkText(section.text, options).map((text) => ({
      text,
      ...(section.location ? { location: section.location } : {}),
    })),
  );
}
