/**
 * Where a passage sits in its document, so a citation can say "p. 12" or "slide 4" and the website
 * can open the original there. Stored with each chunk (`chunks.location`, JSON).
 */
export interface PassageLocation {
  /** PDF page, from 1. */
  readonly page?: number;
  /** PowerPoint slide, from 1, in the deck's order. */
  readonly slide?: number;
  /** Spreadsheet sheet name. */
  readonly sheet?: string;
  /** Spreadsheet or CSV rows, first and last, as the file numbers them (the header is row 1). */
  readonly rows?: readonly [number, number];
  /** The headings above the passage, outermost first (Word, Markdown, HTML). */
  readonly headings?: readonly string[];
  /** The e-mail attachment the passage is from. */
  readonly attachment?: string;
}

/** A run of a document's text that shares one location: a page, a slide, a section, a row group. */
export interface Section {
  readonly text: string;
  readonly location?: PassageLocation;
}

const MAX_HEADING_CHARACTERS = 80;
const short = (heading: string) =>
  heading.length > MAX_HEADING_CHARACTERS
    ? `${heading.slice(0, MAX_HEADING_CHARACTERS - 1)}…`
    : heading;

/**
 * How a citation names a location: `p. 12`, `slide 4`, `Sheet 'Q3', rows 40–60`,
 * `Introduction › Safety`, `attachment 'terms.pdf', p. 2`; undefined when there is nothing to say.
 */
export function describeLocation(
  location: PassageLocation | null | undefined,
): string | undefined {
  if (!location) return undefined;
  const parts: string[] = [];
  if (location.attachment) parts.push(`attachment '${location.attachment}'`);
  if (location.page !== undefined) parts.push(`p. ${location.page}`);
  if (location.slide !== undefined) parts.push(`slide ${location.slide}`);
  if (location.sheet !== undefined) parts.push(`Sheet '${location.sheet}'`);
  if (location.rows) {
    const [from, to] = location.rows;
    parts.push(from === to ? `row ${from}` : `rows ${from}–${to}`);
  }
  if (location.headings?.length)
    parts.push(location.headings.map(short).join(" › "));
  return parts.length ? parts.join(", ") : undefined;
}
