import { basename, extname } from "path";
import { InvalidInputError } from "../errors";

/** Text and metadata extracted from one file. */
export interface ExtractedDocument {
  readonly title: string;
  readonly text: string;
}

import { SUPPORTED_EXTENSIONS } from "./supported-extensions";

export { SUPPORTED_EXTENSIONS };

/** A readable title from a file name: `1862_abraham_lincoln.txt` → `1862 abraham lincoln`. */
export const titleFromPath = (path: string): string =>
  basename(path, extname(path))
    .replace(/[_\-.]+/g, " ")
    .trim();

/** Extracts the text of a .txt, .md, .html or .pdf file (HTML with html-to-text, PDF with unpdf). */
export async function extractDocument(
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
        selectors: [
          { selector: "a", options: { ignoreHref: true } },
          { selector: "img", format: "skip" },
        ],
      });
      const title = convert(
        /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? "",
        { wordwrap: false },
      ).trim();
      return { title: title || fallbackTitle, text };
    }
    case ".pdf": {
      const { extractText, getDocumentProxy, getMeta } = await import("unpdf");
      const pdf = await getDocumentProxy(new Uint8Array(bytes));
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
