import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractDocument } from "./extract";
import { ingestFiles } from "./ingest";
import { MAX_PDF_PAGES, MAX_UNZIPPED_BYTES } from "./limits";
import { describeLocation } from "./location";
import { tesseractOcr } from "./ocr-tesseract";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import { LocalEmbedder } from "../embeddings/local-embedder";
import { InvalidInputError } from "../errors";
import { retrieveHybrid } from "../retrieval/retrieve-hybrid";
import {
  csvFixture,
  docxFixture,
  emlFixture,
  pdfFixture,
  pngHeaderClaiming,
  pptxFixture,
  scannedPage,
  scannedPdf,
  workbookWithCells,
  xlsxFixture,
  zipBombDocx,
} from "../testing/format-fixtures";

const embedder = new LocalEmbedder();
const ocr = tesseractOcr();
let dir: string;
let store: OpenDatabase;

/** Each format's sentence: words no other fixture has, so the search finds exactly its passage. */
const SENTENCES = {
  docx: "The lighthouse keeper lights the brass lamp at dusk.",
  pptx: "Cormorants nest along the northern breakwater.",
  pptxNote: "Remind the pilots about the dredging schedule.",
  xlsx: "Hull scraped and repainted vermilion.",
  csv: "Anchor chain replaced with galvanised steel.",
  pdf: "The quay cranes were electrified last autumn.",
  eml: "Berths nine and ten close for ice in January.",
  scan: [
    "Seals were counted on the sandbank",
    "during the spring survey of the estuary.",
  ],
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sextant-formats-"));
  const docs = join(dir, "harbour");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(docs);
  const docx = await docxFixture(SENTENCES.docx);
  writeFileSync(join(docs, "manual.docx"), docx);
  writeFileSync(
    join(docs, "review.pptx"),
    await pptxFixture(SENTENCES.pptx, SENTENCES.pptxNote),
  );
  writeFileSync(join(docs, "ledger.xlsx"), await xlsxFixture(SENTENCES.xlsx));
  writeFileSync(join(docs, "repairs.csv"), csvFixture(SENTENCES.csv));
  writeFileSync(
    join(docs, "annual-report.pdf"),
    await pdfFixture(SENTENCES.pdf),
  );
  writeFileSync(
    join(docs, "winter.eml"),
    await emlFixture(SENTENCES.eml, docx),
  );
  writeFileSync(
    join(docs, "seal-survey.png"),
    await scannedPage(SENTENCES.scan),
  );
  store = await openDatabase(undefined, "");
  const summary = await ingestFiles(store.db, embedder, [docs], { ocr });
  expect(summary.failures).toEqual([]);
}, 120_000);

afterAll(async () => {
  await ocr.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The best passage for a query: its document's title and source, and its location as a citation says it. */
async function cited(query: string) {
  const [top] = await retrieveHybrid(store.db, embedder, query, {
    k: 1,
    vectorWeight: 0.5,
    textWeight: 1,
    rrfK: 60,
    collections: "all",
  });
  return {
    title: top.title,
    source: top.source,
    text: top.text,
    location: describeLocation(top.location),
  };
}

describe("every format, ingested and cited to its location (fixtures built by libraries)", () => {
  it("Word: the title from its core properties, a passage under its heading path", async () => {
    expect(await cited("lighthouse keeper brass lamp")).toMatchObject({
      title: "Harbour Operations Manual",
      source: "harbour/manual.docx",
      location: "Introduction › Safety",
    });
  });

  it("PowerPoint: the slide in the deck's order, and speaker notes with their slide", async () => {
    expect(await cited("cormorants northern breakwater")).toMatchObject({
      title: "Quarterly Review",
      location: "slide 4",
    });
    expect(await cited("pilots dredging schedule")).toMatchObject({
      location: "slide 2",
    });
  });

  it("Excel: the sheet and rows, each row's cells named by the header", async () => {
    const found = await cited("hull scraped repainted vermilion");
    expect(found.title).toBe("Port Ledger");
    expect(found.text).toContain(
      "Remark: Hull scraped and repainted vermilion.",
    );
    expect(found.text).toContain("Vessel: Vessel 47");
    expect(found.location).toMatch(/^Sheet 'Q3', rows (\d+)–(\d+)$/);
    const [, from, to] = /rows (\d+)–(\d+)/.exec(found.location!)!.map(Number);
    expect(from).toBeLessThanOrEqual(47);
    expect(to).toBeGreaterThanOrEqual(47);
  });

  it("CSV: the rows, the header repeated in each", async () => {
    const found = await cited("anchor chain galvanised steel");
    expect(found.title).toBe("Repairs");
    expect(found.text).toContain(
      "Remark: Anchor chain replaced with galvanised steel.",
    );
    const [, from, to] = /^rows (\d+)–(\d+)$/
      .exec(found.location!)!
      .map(Number);
    expect(from).toBeLessThanOrEqual(60);
    expect(to).toBeGreaterThanOrEqual(60);
  });

  it("PDF: the page, and the title from its information dictionary", async () => {
    expect(await cited("quay cranes electrified")).toMatchObject({
      title: "Annual Harbour Report",
      location: "p. 3",
    });
  });

  it("e-mail: headers and body under its subject, and an attachment's passages under the attachment", async () => {
    const body = await cited("berths nine ten close ice January");
    expect(body).toMatchObject({
      title: "Winter berthing plan",
      source: "harbour/winter.eml",
    });
    expect(body.text).toContain(
      'From: "Harbour Master" <master@harbour.example>',
    );
    const { rows } = await store.db.query<{ location: unknown }>(
      `SELECT c.location FROM chunks c JOIN documents d ON d.id = c.document_id
        WHERE d.source = 'harbour/winter.eml' AND c.content LIKE '%brass lamp%'`,
    );
    expect(rows.map((r) => describeLocation(r.location as never))).toEqual([
      "attachment 'manual.docx', Introduction › Safety",
    ]);
  });

  it("an image, read by OCR (tesseract.js, its model from npm), as page 1; the document says OCR was used", async () => {
    expect(await cited("seals counted sandbank estuary")).toMatchObject({
      title: "Seal survey",
      location: "p. 1",
    });
    const { rows } = await store.db.query<{
      source: string;
      ocr_pages: number;
      media_type: string;
    }>(
      "SELECT source, ocr_pages, media_type FROM documents WHERE ocr_pages > 0",
    );
    expect(rows).toEqual([
      {
        source: "harbour/seal-survey.png",
        ocr_pages: 1,
        media_type: "image/png",
      },
    ]);
  });

  it("records each file's name, type, size and pages", async () => {
    const { rows } = await store.db.query(
      "SELECT file_name, media_type, pages, size_bytes > 0 AS sized FROM documents ORDER BY file_name",
    );
    expect(rows).toEqual([
      {
        file_name: "annual-report.pdf",
        media_type: "application/pdf",
        pages: 4,
        sized: true,
      },
      {
        file_name: "ledger.xlsx",
        media_type: expect.stringContaining("spreadsheetml"),
        pages: 2,
        sized: true,
      },
      {
        file_name: "manual.docx",
        media_type: expect.stringContaining("wordprocessingml"),
        pages: null,
        sized: true,
      },
      {
        file_name: "repairs.csv",
        media_type: "text/csv",
        pages: null,
        sized: true,
      },
      {
        file_name: "review.pptx",
        media_type: expect.stringContaining("presentationml"),
        pages: 5,
        sized: true,
      },
      {
        file_name: "seal-survey.png",
        media_type: "image/png",
        pages: 1,
        sized: true,
      },
      {
        file_name: "winter.eml",
        media_type: "message/rfc822",
        pages: null,
        sized: true,
      },
    ]);
  });
});

describe("OCR of scans", () => {
  const words = (text: string) => text.toLowerCase().match(/[a-z0-9']+/g) ?? [];

  it("recovers at least 95% of the words of a generated scanned page", async () => {
    const lines = [
      "The harbour commission met on the first Monday of March",
      "to review the dredging of the eastern channel, the repair",
      "of the north pier, and the price of berths for the season.",
      "Members agreed that fishing boats keep their present fees",
      "while cargo ships pay eleven percent more from April onward.",
    ];
    const text = await ocr.recognize(await scannedPage(lines));
    const expected = words(lines.join(" "));
    const read = new Set(words(text));
    const recovered =
      expected.filter((w) => read.has(w)).length / expected.length;
    expect(recovered).toBeGreaterThanOrEqual(0.95);
  });

  it("reads the pages of a PDF that have no text layer, and counts them", async () => {
    const pdf = await scannedPdf([
      await scannedPage(["Tugboats assist the container ships"]),
    ]);
    const doc = await extractDocument("scans/tugs.pdf", pdf, { ocr });
    expect(doc).toMatchObject({ ocrPages: 1, pages: 1 });
    expect(doc.sections[0].text).toMatch(/Tugboats assist the container ships/);
    expect(doc.sections[0].location).toEqual({ page: 1 });
  });

  it("reads JPEG and TIFF scans as well as PNG", async () => {
    for (const format of ["jpeg", "tiff"] as const) {
      const doc = await extractDocument(
        `scans/gulls.${format === "jpeg" ? "jpg" : "tif"}`,
        await scannedPage(["Gulls follow the trawler home"], format),
        { ocr },
      );
      expect(doc).toMatchObject({ ocrPages: 1, mediaType: `image/${format}` });
      expect(doc.sections[0].text).toMatch(/Gulls follow the trawler home/);
    }
  });

  it("refuses a scan when there is no OCR, saying why", async () => {
    const pdf = await scannedPdf([await scannedPage(["Nothing to read here"])]);
    await expect(extractDocument("scans/unread.pdf", pdf)).rejects.toThrow(
      "scans/unread.pdf cannot be ingested: it has no text layer (1 scanned page), and this ingestion reads no scans.",
    );
  });
});

describe("hostile files: refused within bounds, the reason named", () => {
  const refusal = async (name: string, bytes: Uint8Array) => {
    const started = performance.now();
    const error = await extractDocument(name, bytes, { ocr }).catch((e) => e);
    return { error, ms: performance.now() - started };
  };

  it("a zip bomb inside a .docx stops at the inflate limit, counted as it inflates", async () => {
    const bomb = zipBombDocx(MAX_UNZIPPED_BYTES + 64 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const { error } = await refusal("bomb.docx", bomb);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain(
      "bomb.docx is too large to ingest: it inflates to more than 256 MiB",
    );
  });

  it("a spreadsheet with a million cells is refused as its cells are counted", async () => {
    const { error } = await refusal(
      "million.xlsx",
      await workbookWithCells(1_000_000),
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain("more than 500,000 cells");
  }, 120_000);

  it("a PDF of 10,000 pages is refused before any page is read", async () => {
    const { PDFDocument } = await import("pdf-lib");
    const pdf = await PDFDocument.create();
    for (let n = 0; n < 10_000; n++) pdf.addPage([10, 10]);
    const { error } = await refusal("ten-thousand.pdf", await pdf.save());
    expect(error.message).toContain(
      `10000 pages, more than ${MAX_PDF_PAGES.toLocaleString("en")}`,
    );
  }, 60_000);

  it("an image of 30,000 × 30,000 pixels is refused from its header, before decoding", async () => {
    const { error, ms } = await refusal(
      "huge.png",
      pngHeaderClaiming(30_000, 30_000),
    );
    expect(error.message).toContain(
      "30000 × 30000 pixels, more than 50,000,000",
    );
    expect(ms).toBeLessThan(1000);
  });

  it("a file whose extension lies about its type is refused, naming both", async () => {
    const pdf = await pdfFixture("Just a PDF.");
    const { error } = await refusal("memo.docx", pdf);
    expect(error.message).toBe(
      "memo.docx cannot be ingested: its contents are a PDF, not what .docx holds (a zip archive).",
    );
    const { error: notWord } = await refusal(
      "deck.docx",
      await pptxFixture("x", "y"),
    );
    expect(notWord.message).toContain("it is not a Word document");
  });

  it("a hostile file fails alone: the files beside it are ingested", async () => {
    const other = await openDatabase(undefined, "");
    const folder = mkdtempSync(join(tmpdir(), "sextant-hostile-"));
    try {
      writeFileSync(
        join(folder, "bomb.docx"),
        zipBombDocx(MAX_UNZIPPED_BYTES + 1024 * 1024),
      );
      writeFileSync(join(folder, "fine.txt"), "The ferry leaves at noon.");
      const summary = await ingestFiles(other.db, embedder, [folder]);
      expect(summary).toMatchObject({ added: 1, failed: 1 });
      const { rows } = await other.db.query<{
        status: string;
        error: string | null;
      }>("SELECT status, error FROM documents ORDER BY source");
      expect(rows[0]).toMatchObject({
        status: "failed",
        error: expect.stringContaining("zip bomb"),
      });
      expect(rows[1]).toMatchObject({ status: "ready", error: null });
    } finally {
      await other.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
