import { InvalidInputError } from "../errors";
import { parseEmail } from "./formats/email";
import { htmlSections, markdownSections } from "./formats/html";
import { imageSections } from "./formats/image";
import { docxSections, pptxSections } from "./formats/office";
import { pdfSections } from "./formats/pdf";
import { KIND_NAMES, sniff } from "./formats/sniff";
import { csvSections, xlsxSections } from "./formats/spreadsheet";
import {
  MAX_DOCUMENT_CHARACTERS,
  formatCount,
  refused,
  tooLarge,
} from "./limits";
import type { Section } from "./location";
import type { OcrEngine } from "./ocr";
import {
  FORMATS,
  SUPPORTED_EXTENSIONS,
  extensionOf,
} from "./supported-extensions";

export { MAX_DOCUMENT_CHARACTERS, MAX_PDF_PAGES } from "./limits";
export { SUPPORTED_EXTENSIONS };

/** Text and metadata extracted from one file. */
export interface ExtractedDocument {
  /** From the file's own metadata, else its first heading, else its name made readable. */
  readonly title: string;
  /** The text, in runs that share a location (page, slide, rows, headings). */
  readonly sections: readonly Section[];
  readonly mediaType: string;
  /** Pages of a PDF or image, slides of a deck, sheets of a workbook. */
  readonly pages?: number;
  /** Pages read by OCR. */
  readonly ocrPages: number;
  /** Scanned pages left unread: no OCR engine, and no text given for them. */
  readonly unreadPages: number;
  /** The date the file's metadata gives (YYYY-MM-DD). */
  readonly date?: string;
}

/** What extraction may use. */
export interface ExtractOptions {
  /** Reads scans and images here (tesseract.js). */
  readonly ocr?: OcrEngine;
  /** Text already read from scanned pages, by page from 1 (Amazon Textract's, on AWS). */
  readonly ocrText?: ReadonlyMap<number, string>;
  /**
   * Whether a file of nothing but unread scans is extracted anyway (its `unreadPages` counted)
   * rather than refused: the AWS prepare step, which then has Textract read them.
   */
  readonly allowUnread?: boolean;
}

/** A title longer than this is cut (titles are shown in lists and citations). */
const MAX_TITLE_CHARACTERS = 300;

/** A readable title from a file name: `quarterly-report_2024.docx` → `Quarterly report 2024`. */
export function titleFromPath(name: string): string {
  const base = name.slice(name.lastIndexOf("/") + 1);
  const ext = extensionOf(base);
  const words = base
    .slice(0, base.length - ext.length)
    .replace(/[_\-.\s]+/g, " ")
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Extracts the text of a file, in sections with their location, within bounds (characters, pages,
 * cells, inflated bytes, pixels: `limits.ts`). The bytes must be what the name says: a `.docx`
 * holding a PDF is refused, naming both. `name` is what errors name: the document's source,
 * never a server path.
 */
export async function extractDocument(
  name: string,
  bytes: Uint8Array,
  options: ExtractOptions = {},
): Promise<ExtractedDocument> {
  const ext = extensionOf(name);
  const format = FORMATS[ext];
  if (!format)
    throw new InvalidInputError(
      `Unsupported file type '${ext || "(none)"}': ${name}. Supported: ${SUPPORTED_EXTENSIONS.join(", ")}.`,
      [{ path: "file", message: `unsupported type ${ext || "(none)"}` }],
    );
  const found = sniff(bytes);
  if (found !== format.contents)
    throw refused(
      name,
      `its contents are ${KIND_NAMES[found]}, not what ${ext} holds (${KIND_NAMES[format.contents]})`,
    );
  const doc = await extractByType(name, ext, bytes, options);
  const characters = doc.sections.reduce((n, s) => n + s.text.length, 0);
  if (characters > MAX_DOCUMENT_CHARACTERS)
    throw tooLarge(
      name,
      `more than ${formatCount(MAX_DOCUMENT_CHARACTERS)} characters of text`,
    );
  if (
    doc.sections.length === 0 &&
    (doc.pagesNeedingOcr ?? 0) > 0 &&
    !options.allowUnread
  )
    throw refused(
      name,
      `it has no text layer (${doc.pagesNeedingOcr} scanned page${doc.pagesNeedingOcr === 1 ? "" : "s"}), and this ingestion reads no scans`,
    );
  const title = [doc.title, doc.firstHeading, titleFromPath(name)]
    .map((t) => t?.replace(/\s+/g, " ").trim())
    .find(Boolean)!;
  return {
    title: title.slice(0, MAX_TITLE_CHARACTERS).trim(),
    sections: doc.sections,
    mediaType: format.mediaType,
    ...(doc.pages !== undefined ? { pages: doc.pages } : {}),
    ocrPages: doc.ocrPages ?? 0,
    unreadPages: doc.pagesNeedingOcr ?? 0,
    ...(doc.date ? { date: doc.date } : {}),
  };
}

interface FormatResult {
  sections: readonly Section[];
  title?: string;
  firstHeading?: string;
  date?: string;
  pages?: number;
  ocrPages?: number;
  pagesNeedingOcr?: number;
}

async function extractByType(
  name: string,
  ext: string,
  bytes: Uint8Array,
  options: ExtractOptions,
): Promise<FormatResult> {
  const text = () => {
    if (bytes.length > MAX_DOCUMENT_CHARACTERS * 4)
      throw tooLarge(
        name,
        `more than ${formatCount(MAX_DOCUMENT_CHARACTERS)} characters of text`,
      );
    return Buffer.from(bytes).toString("utf8");
  };
  switch (ext) {
    case ".txt":
      return { sections: [{ text: text() }] };
    case ".md":
    case ".markdown":
      return markdownSections(text());
    case ".html":
    case ".htm":
      return htmlSections(text());
    case ".pdf":
      return pdfSections(name, bytes, options);
    case ".docx":
      return docxSections(name, bytes);
    case ".pptx":
      return pptxSections(name, bytes);
    case ".xlsx":
      return xlsxSections(name, bytes);
    case ".csv":
      return csvSections(name, text());
    case ".eml":
      return emailSections(name, bytes, options);
    default:
      return imageSections(name, bytes, options);
  }
}

/** An e-mail and the text of its attachments in supported types (not e-mails within e-mails), each under its name. */
async function emailSections(
  name: string,
  bytes: Uint8Array,
  options: ExtractOptions,
): Promise<FormatResult> {
  const mail = await parseEmail(bytes);
  const sections: Section[] = [...mail.sections];
  let ocrPages = 0;
  for (const attachment of mail.attachments) {
    const ext = extensionOf(attachment.filename);
    if (!FORMATS[ext] || ext === ".eml") continue;
    const inner = await extractDocument(
      `${name} › ${attachment.filename}`,
      attachment.content,
      // An attachment's scans are read by the OCR engine here, or left out: Textract reads whole
      // files, and an e-mail is not one it reads.
      { ocr: options.ocr, allowUnread: true },
    );
    ocrPages += inner.ocrPages;
    sections.push(
      ...inner.sections.map((s) => ({
        text: s.text,
        location: { ...s.location, attachment: attachment.filename },
      })),
    );
  }
  return { ...mail, sections, ocrPages };
}
