/** File types Sextant can read. */
export const SUPPORTED_EXTENSIONS = [
  ".txt",
  ".md",
  ".markdown",
  ".html",
  ".htm",
  ".pdf",
] as const;

/** Whether a file name ends with a supported extension (any case). */
export const isSupportedFile = (name: string): boolean =>
  SUPPORTED_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext));
