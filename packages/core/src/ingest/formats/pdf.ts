import type { ExtractOptions } from "../extract";
import {
  MAX_IMAGE_PIXELS,
  MAX_OCR_PAGES,
  MAX_PDF_PAGES,
  formatCount,
  tooLarge,
} from "../limits";
import type { Section } from "../location";

/** A page with fewer characters than this has no text layer worth the name (a scan): it is read by OCR. */
const MIN_TEXT_LAYER_CHARACTERS = 16;

/**
 * A PDF's pages as sections (`p. 12`), with unpdf (pdf.js). A page without a text layer takes the
 * text given for it (`ocrText`, Textract's on AWS), else is read by OCR from its largest image when
 * an engine is given; else it is counted in `pagesNeedingOcr`.
 * Title from the document information dictionary, then XMP `dc:title`.
 */
export async function pdfSections(
  name: string,
  bytes: Uint8Array,
  { ocr, ocrText }: ExtractOptions = {},
): Promise<{
  sections: Section[];
  pages: number;
  ocrPages: number;
  pagesNeedingOcr: number;
  title?: string;
  date?: string;
}> {
  const { extractText, getDocumentProxy, getMeta } = await import("unpdf");
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  if (pdf.numPages > MAX_PDF_PAGES)
    throw tooLarge(
      name,
      `${pdf.numPages} pages, more than ${formatCount(MAX_PDF_PAGES)}`,
    );
  const { text } = await extractText(pdf, { mergePages: false });
  const sections: Section[] = [];
  let ocrPages = 0;
  let pagesNeedingOcr = 0;
  for (const [i, pageText] of (text as string[]).entries()) {
    const page = i + 1;
    let content = pageText;
    const given = ocrText?.get(page);
    if (
      content.replace(/\s/g, "").length < MIN_TEXT_LAYER_CHARACTERS &&
      given !== undefined
    ) {
      content = given;
      ocrPages += 1;
    } else if (content.replace(/\s/g, "").length < MIN_TEXT_LAYER_CHARACTERS) {
      // A page with an image and no text is a scan; one with neither is blank.
      const image = await largestImage(name, pdf, page);
      if (image && !ocr) pagesNeedingOcr += 1;
      else if (image && ocr) {
        if (ocrPages >= MAX_OCR_PAGES)
          throw tooLarge(
            name,
            `more than ${formatCount(MAX_OCR_PAGES)} scanned pages to read by OCR`,
          );
        content = await ocr.recognize(image);
        ocrPages += 1;
      }
    }
    if (content.trim()) sections.push({ text: content, location: { page } });
  }
  const meta = await getMeta(pdf).catch(() => ({
    info: {},
    metadata: undefined,
  }));
  const info = (meta.info ?? {}) as Record<string, unknown>;
  const xmpTitle = (
    meta.metadata as { get?: (k: string) => unknown } | undefined
  )?.get?.("dc:title");
  const title = [info.Title, xmpTitle].find(
    (t): t is string => typeof t === "string" && t.trim() !== "",
  );
  const created =
    typeof info.CreationDate === "string"
      ? /^D:(\d{4})(\d{2})(\d{2})/.exec(info.CreationDate)
      : null;
  return {
    sections,
    pages: pdf.numPages,
    ocrPages,
    pagesNeedingOcr,
    ...(title ? { title: title.trim() } : {}),
    ...(created ? { date: `${created[1]}-${created[2]}-${created[3]}` } : {}),
  };
}

/** A decoded image as pdf.js gives it: 1 (grey), 3 (RGB) or 4 (RGBA) bytes per pixel. */
interface PageImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
}

type PdfDocument = Awaited<ReturnType<typeof import("unpdf").getDocumentProxy>>;

/**
 * The page's largest image (a scan is one image per page), as a PNG; none when it has none. Each
 * image is awaited as pdf.js decodes it (`objs.get` with a callback: unpdf's `extractImages`
 * asks before decoding has finished).
 */
async function largestImage(
  name: string,
  pdf: PdfDocument,
  page: number,
): Promise<Uint8Array | undefined> {
  const { getResolvedPDFJS } = await import("unpdf");
  const { OPS } = await getResolvedPDFJS();
  const proxy = await pdf.getPage(page);
  const operators = await proxy.getOperatorList();
  let image: PageImage | undefined;
  for (const [i, op] of operators.fnArray.entries()) {
    if (op !== OPS.paintImageXObject) continue;
    const key = operators.argsArray[i][0] as string;
    const candidate = await new Promise<PageImage | undefined>((resolve) =>
      (key.startsWith("g_") ? proxy.commonObjs : proxy.objs).get(key, resolve),
    );
    if (
      candidate?.data &&
      (!image ||
        candidate.width * candidate.height > image.width * image.height)
    )
      image = candidate;
  }
  if (!image) return undefined;
  if (image.width * image.height > MAX_IMAGE_PIXELS)
    throw tooLarge(
      name,
      `the scan of page ${page} is ${image.width} × ${image.height} pixels, more than ${formatCount(MAX_IMAGE_PIXELS)}`,
    );
  const channels = image.data.length / (image.width * image.height);
  if (![1, 3, 4].includes(channels)) return undefined;
  const { PNG } = await import("pngjs");
  const png = new PNG({ width: image.width, height: image.height });
  // PNG here is RGBA.
  for (let p = 0; p < image.width * image.height; p++) {
    const from = p * channels;
    const grey = channels < 3;
    png.data[p * 4] = image.data[from];
    png.data[p * 4 + 1] = image.data[grey ? from : from + 1];
    png.data[p * 4 + 2] = image.data[grey ? from : from + 2];
    png.data[p * 4 + 3] = channels === 4 ? image.data[from + 3] : 255;
  }
  return PNG.sync.write(png);
}
