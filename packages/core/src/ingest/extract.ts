import { basename, extname } from "path";
import { InvalidInputError } from "../errors";

/** Text and metadata extracted from one file. */
export interface ExtractedDocument {
  readonly title: string;
  readonly text: string;
}

import { SUPPORTED_EXTENSIONS } from "./supported-extensions";

export { SUPPORTED_EXTENSIONS };

/** The most pages a PDF may have: extraction holds every page's text in memory at once. */
export const MAX_PDF_PAGES = 5_000;
/** The most characters one document may yield (the whole SOTU corpus is about 10 million). */
export const MAX_DOCUMENT_CHARACTERS = 20_000_000;
/** A title longer than this is cut (titles are shown in lists and citations). */
const MAX_TITLE_CHARACTERS = 300;
/** Where an HTML `<title>` is looked for: the head, not a whole large page. */
const HTML_TITLE_WINDOW = 64 * 1024;

const tooLarge = (path: string, what: string) =>
  new InvalidInputError(`${path} is too large to ingest: ${what}.`, [
    { path: "file", message: what },
  ]);

/** Refuses a document whose text exceeds {@link MAX_DOCUMENT_CHARACTERS}; cuts an overlong title. */
function bounded(path: string, doc: ExtractedDocument): ExtractedDocument {
  if (doc.text.length > MAX_DOCUMENT_CHARACTERS)
    throw tooLarge(
      path,
      `more than ${MAX_DOCUMENT_CHARACTERS.toLocaleString("en")} characters of text`,
    );
  return { ...doc, title: doc.title.slice(0, MAX_TITLE_CHARACTERS).trim() };
}

/** A readable title from a file name: `1862_abraham_lincoln.txt` → `1862 abraham lincoln`. */
export const titleFromPath = (path: string): string =>
  basename(path, extname(path))
    .replace(/[_\-.]+/g, " ")
    .trim();

/**
 * Extracts the text of a .txt, .md, .html or .pdf file (HTML with html-to-text, PDF with unpdf),
 * within bounds: pages, characters, title length.
 */
export async function extractDocument(
  path: string,
  bytes: Uint8Array,
): Promise<ExtractedDocument> {
  return bounded(path, await extractUnbounded(path, bytes));
}

async function extractUnbounded(
  path: string,
  bytes: Uint8Array,
): Promise<ExtractedDocument> {
  const ext = extname(path).toLowerCase();
  const fallbackTitle = titleFromPath(path);
  switch (ext) {
    case ".txt":
      return {
        title: fallbackTitle,
        text: Buffer.from(bytes).toString("utf8"),
      };
    case ".md":
    case ".markdown": {
      const text = Buffer.from(bytes).toString("utf8");
      const heading = /^#\s+(.+)$/m.exec(text)?.[1]?.trim();
      return { title: heading || fallbackTitle, text };
    }
    case ".html":
    case ".htm": {
      const { convert } = await import("html-to-text");
      const html = Buffer.from(bytes).toString("utf8");
      const text = convert(html, {
        wordwrap: false,
        limits: { maxInputLength: MAX_DOCUMENT_CHARACTERS },
        selectors: [
          { selector: "a", options: { ignoreHref: true } },
          { selector: "img", format: "skip" },
        ],
      });
      const title = convert(
        /<title[^>]*>([\s\S]*?)<\/title>/i.exec(
          html.slice(0, HTML_TITLE_WINDOW),
        )?.[1] ?? "",
        { wordwrap: false },
      ).trim();
      return { title: title || fallbackTitle, text };
    }
    case ".pdf": {
      const { extractText, getDocumentProxy, getMeta } = await import("unpdf");
      const pdf = await getDocumentProxy(new Uint8Array(bytes));
      if (pdf.numPages > MAX_PDF_PAGES)
        throw tooLarge(
          path,
          `${pdf.numPages} pages, more than ${MAX_PDF_PAGES.toLocaleString("en")}`,
        );
      const { text } = await extractText(pdf, { mergePages: false });
      const meta = await getMeta(pdf).catch(() => ({
        info: {} as Record<string, unknown>,
      }));
      const title =
        typeof meta.info?.Title === "string" ? meta.info.Title.trim() : "";
      return {
        title: title || fallbackTitle,
        text: (text as string[]).join("\n\n"),
      };
    }
    default:
      throw new InvalidInputError(
        `Unsupported file type '${ext || "(none)"}': ${path}. Supported: ${SUPPORTED_EXTENSIONS.join(", ")}.`,
        [{ path: "file", message: `unsupported type ${ext || "(none)"}` }],
      );
  }
}
