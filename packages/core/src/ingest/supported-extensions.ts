import type { SniffedKind } from "./formats/sniff";

/** One file type Sextant reads: its media type, and what its bytes must start as (a name cannot lie about it). */
export interface FileFormat {
  readonly mediaType: string;
  readonly contents: SniffedKind;
}

const OOXML = "application/vnd.openxmlformats-officedocument";

/** Every file type Sextant reads, by extension (lower case). */
export const FORMATS: Readonly<Record<string, FileFormat>> = {
  ".txt": { mediaType: "text/plain", contents: "text" },
  ".md": { mediaType: "text/markdown", contents: "text" },
  ".markdown": { mediaType: "text/markdown", contents: "text" },
  ".html": { mediaType: "text/html", contents: "text" },
  ".htm": { mediaType: "text/html", contents: "text" },
  ".pdf": { mediaType: "application/pdf", contents: "pdf" },
  ".docx": { mediaType: `${OOXML}.wordprocessingml.document`, contents: "zip" },
  ".pptx": {
    mediaType: `${OOXML}.presentationml.presentation`,
    contents: "zip",
  },
  ".xlsx": { mediaType: `${OOXML}.spreadsheetml.sheet`, contents: "zip" },
  ".csv": { mediaType: "text/csv", contents: "text" },
  ".eml": { mediaType: "message/rfc822", contents: "text" },
  ".png": { mediaType: "image/png", contents: "png" },
  ".jpg": { mediaType: "image/jpeg", contents: "jpeg" },
  ".jpeg": { mediaType: "image/jpeg", contents: "jpeg" },
  ".tif": { mediaType: "image/tiff", contents: "tiff" },
  ".tiff": { mediaType: "image/tiff", contents: "tiff" },
};

/** File types Sextant can read. */
export const SUPPORTED_EXTENSIONS = Object.keys(FORMATS);

/** A file name's extension, lower case, with its dot (`.docx`); empty when it has none. */
export const extensionOf = (name: string): string => {
  const base = name.slice(name.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot).toLowerCase() : "";
};

/** Whether a file name ends with a supported extension (any case). */
export const isSupportedFile = (name: string): boolean =>
  extensionOf(name) in FORMATS;
