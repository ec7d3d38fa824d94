import { InvalidInputError } from "../errors";

// The bounds every file is held to, whatever it claims to be: a hostile file is refused with its
// reason recorded on the document, before it costs more memory or time than these (docs/ingestion.md).

/** The most pages a PDF may have: extraction holds every page's text in memory at once. */
export const MAX_PDF_PAGES = 5_000;
/** The most characters one document may yield (the whole SOTU corpus is about 10 million). */
export const MAX_DOCUMENT_CHARACTERS = 20_000_000;
/** The most bytes an Office file (a zip) may inflate to, counted as it inflates: a zip bomb stops here. */
export const MAX_UNZIPPED_BYTES = 256 * 1024 * 1024;
/** The most entries an Office file may hold. */
export const MAX_ZIP_ENTRIES = 10_000;
/** The most cells a spreadsheet or CSV may have, counted as they are read. */
export const MAX_SPREADSHEET_CELLS = 500_000;
/** The most pixels an image may have (about 7,000 × 7,000), read from its header before it is decoded. */
export const MAX_IMAGE_PIXELS = 50_000_000;
/** The most pages of one document read by OCR (about a second each locally). */
export const MAX_OCR_PAGES = 500;

/** 400 naming the file: it is refused, and why. */
export const refused = (name: string, reason: string): InvalidInputError =>
  new InvalidInputError(`${name} cannot be ingested: ${reason}.`, [
    { path: "file", message: reason },
  ]);

/** 400 naming the file: it is larger than a bound. */
export const tooLarge = (name: string, what: string): InvalidInputError =>
  new InvalidInputError(`${name} is too large to ingest: ${what}.`, [
    { path: "file", message: what },
  ]);

export const formatCount = (n: number): string => n.toLocaleString("en");
