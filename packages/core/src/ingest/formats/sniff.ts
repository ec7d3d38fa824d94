/** What a file's first bytes say it is, whatever its name says. */
export type SniffedKind =
  "pdf" | "zip" | "png" | "jpeg" | "tiff" | "text" | "binary";

const startsWith = (bytes: Uint8Array, signature: readonly number[]) =>
  signature.every((b, i) => bytes[i] === b);

/**
 * The kind of a file from its signature (its "magic number"): `%PDF-`, a zip's `PK\3\4` (every
 * Office Open XML file), PNG, JPEG, TIFF (either byte order); otherwise text when its first 8 KiB
 * hold no NUL byte.
 */
export function sniff(bytes: Uint8Array): SniffedKind {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return "pdf";
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return "zip";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return "png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (
    startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) ||
    startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])
  )
    return "tiff";
  return bytes.subarray(0, 8192).includes(0) ? "binary" : "text";
}

/** How a kind reads in a refusal. */
export const KIND_NAMES: Record<SniffedKind, string> = {
  pdf: "a PDF",
  zip: "a zip archive",
  png: "a PNG image",
  jpeg: "a JPEG image",
  tiff: "a TIFF image",
  text: "text",
  binary: "binary data",
};
