import type { ExtractOptions } from "../extract";
import { MAX_IMAGE_PIXELS, formatCount, refused, tooLarge } from "../limits";
import type { Section } from "../location";

/**
 * A PNG, JPEG or TIFF read by OCR, as one page. Its size is read from its header (image-size)
 * before anything decodes it: past {@link MAX_IMAGE_PIXELS} it is refused, so an image that
 * claims 30,000 × 30,000 pixels costs nothing. Its text is what `ocrText` gives for page 1
 * (Textract's, page by page, on AWS), else the OCR engine's; without either it is counted as needing OCR.
 */
export async function imageSections(
  name: string,
  bytes: Uint8Array,
  { ocr, ocrText }: ExtractOptions = {},
): Promise<{
  sections: Section[];
  pages: number;
  ocrPages: number;
  pagesNeedingOcr: number;
}> {
  const { imageSize } = await import("image-size");
  let size: { width?: number; height?: number };
  try {
    size = imageSize(bytes);
  } catch {
    throw refused(name, "its image header cannot be read");
  }
  const pixels = (size.width ?? 0) * (size.height ?? 0);
  if (!pixels) throw refused(name, "its image header gives no size");
  if (pixels > MAX_IMAGE_PIXELS)
    throw tooLarge(
      name,
      `${size.width} × ${size.height} pixels, more than ${formatCount(MAX_IMAGE_PIXELS)}`,
    );
  if (ocrText?.size) {
    // Textract reads every page of a multi-page TIFF.
    const pages = [...ocrText].sort(([a], [b]) => a - b);
    return {
      sections: pages
        .filter(([, text]) => text.trim())
        .map(([page, text]) => ({ text, location: { page } })),
      pages: pages.length,
      ocrPages: pages.length,
      pagesNeedingOcr: 0,
    };
  }
  if (!ocr) return { sections: [], pages: 1, ocrPages: 0, pagesNeedingOcr: 1 };
  const text = await ocr.recognize(bytes);
  return {
    sections: text.trim() ? [{ text, location: { page: 1 } }] : [],
    pages: 1,
    ocrPages: 1,
    pagesNeedingOcr: 0,
  };
}
