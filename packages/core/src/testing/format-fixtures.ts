// Test fixtures of every format Sextant reads, built by the libraries that write those formats:
// no binary blob from elsewhere. Each places a known sentence at a known location.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { zipSync } from "fflate";

const requireHere = createRequire(__filename);

/** A Word document: title in its core properties, the sentence under Introduction › Safety. */
export async function docxFixture(sentence: string): Promise<Uint8Array> {
  const { Document, HeadingLevel, Packer, Paragraph } = await import("docx");
  const doc = new Document({
    title: "Harbour Operations Manual",
    sections: [
      {
        children: [
          new Paragraph({
            text: "Introduction",
            heading: HeadingLevel.HEADING_1,
          }),
          new Paragraph("This manual describes the work of the harbour."),
          new Paragraph({ text: "Safety", heading: HeadingLevel.HEADING_2 }),
          new Paragraph(sentence),
          new Paragraph({ text: "Tides", heading: HeadingLevel.HEADING_1 }),
          new Paragraph("High water comes twice a day."),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

/** A PowerPoint deck of 5 slides: the sentence on slide 4, a speaker note on slide 2. */
export async function pptxFixture(
  sentence: string,
  note: string,
): Promise<Uint8Array> {
  const { default: PptxGenJS } = await import("pptxgenjs");
  const deck = new PptxGenJS();
  deck.title = "Quarterly Review";
  for (let n = 1; n <= 5; n++) {
    const slide = deck.addSlide();
    slide.addText(n === 4 ? sentence : `Slide ${n} covers routine business.`, {
      x: 1,
      y: 1,
      w: 8,
      h: 1,
    });
    if (n === 2) slide.addNotes(note);
  }
  return new Uint8Array(
    (await deck.write({ outputType: "nodebuffer" })) as Buffer,
  );
}

/** An Excel workbook: a sheet "Summary", and "Q3" of 100 rows under a header, the sentence in row 47. */
export async function xlsxFixture(sentence: string): Promise<Uint8Array> {
  const { default: ExcelJS } = await import("exceljs");
  const book = new ExcelJS.Workbook();
  book.title = "Port Ledger";
  book.addWorksheet("Summary").addRow(["Total", 100]);
  const sheet = book.addWorksheet("Q3");
  sheet.addRow(["Vessel", "Berth", "Remark"]);
  for (let row = 2; row <= 101; row++)
    sheet.addRow([
      `Vessel ${row}`,
      row % 7,
      row === 47 ? sentence : "routine call",
    ]);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

/** A CSV of 100 rows under a header, the sentence in row 60. */
export function csvFixture(sentence: string): Uint8Array {
  const rows = ["Vessel,Berth,Remark"];
  for (let row = 2; row <= 101; row++)
    rows.push(
      `Vessel ${row},${row % 7},"${row === 60 ? sentence : "routine call"}"`,
    );
  return new TextEncoder().encode(rows.join("\n"));
}

/** A PDF of 4 pages with a title: the sentence on page 3 (pdf-lib, its standard Helvetica). */
export async function pdfFixture(sentence: string): Promise<Uint8Array> {
  const { PDFDocument, StandardFonts } = await import("pdf-lib");
  const pdf = await PDFDocument.create();
  pdf.setTitle("Annual Harbour Report");
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= 4; n++)
    pdf
      .addPage([612, 792])
      .drawText(n === 3 ? sentence : `Page ${n} lists routine business.`, {
        x: 50,
        y: 700,
        size: 12,
        font,
      });
  return pdf.save();
}

/** An e-mail with a subject, a body, and the Word fixture attached. */
export async function emlFixture(
  body: string,
  attachment: Uint8Array,
): Promise<Uint8Array> {
  const { default: MailComposer } =
    await import("nodemailer/lib/mail-composer/index.js");
  const mail = new MailComposer({
    from: "Harbour Master <master@harbour.example>",
    to: "crew@harbour.example",
    subject: "Winter berthing plan",
    date: new Date("2024-11-04T09:00:00Z"),
    text: body,
    attachments: [
      { filename: "manual.docx", content: Buffer.from(attachment) },
    ],
  });
  return new Uint8Array(await mail.compile().build());
}

/**
 * A scanned page: lines of text drawn on a white page at about 150 dpi with a font from npm
 * (DejaVu Sans), as PNG or JPEG, the way a scanner delivers it.
 */
export async function scannedPage(
  lines: readonly string[],
  format: "png" | "jpeg" | "tiff" = "png",
): Promise<Uint8Array> {
  const { createCanvas, GlobalFonts } = await import("@napi-rs/canvas");
  const fonts = join(
    dirname(requireHere.resolve("dejavu-fonts-ttf/package.json")),
    "ttf",
  );
  if (!GlobalFonts.has("Scan Sans"))
    GlobalFonts.registerFromPath(join(fonts, "DejaVuSans.ttf"), "Scan Sans");
  const canvas = createCanvas(1275, 1650);
  const context = canvas.getContext("2d");
  context.fillStyle = "white";
  context.fillRect(0, 0, 1275, 1650);
  context.fillStyle = "black";
  context.font = "30px 'Scan Sans'";
  lines.forEach((line, i) => context.fillText(line, 100, 180 + i * 56));
  if (format === "tiff") {
    const { default: UTIF } = await import("utif2");
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    return new Uint8Array(
      UTIF.encodeImage(
        new Uint8Array(data.buffer),
        canvas.width,
        canvas.height,
      ),
    );
  }
  return new Uint8Array(
    format === "png"
      ? await canvas.encode("png")
      : await canvas.encode("jpeg", 92),
  );
}

/** A PDF with no text layer: each page one scanned image. */
export async function scannedPdf(
  pages: readonly Uint8Array[],
): Promise<Uint8Array> {
  const { PDFDocument } = await import("pdf-lib");
  const pdf = await PDFDocument.create();
  for (const png of pages) {
    const image = await pdf.embedPng(png);
    pdf
      .addPage([612, 792])
      .drawImage(image, { x: 0, y: 0, width: 612, height: 792 });
  }
  return pdf.save();
}

/** A .docx whose document part inflates to `bytes` of spaces: a zip bomb (about 1,000 : 1). */
export function zipBombDocx(bytes: number): Uint8Array {
  const xml = new Uint8Array(bytes).fill(0x20);
  return zipSync({
    "[Content_Types].xml": new TextEncoder().encode("<Types/>"),
    "word/document.xml": [xml, { level: 9 }],
  });
}

/** A PNG whose header claims `width` × `height` pixels, with no pixel data worth the name. */
export function pngHeaderClaiming(width: number, height: number): Uint8Array {
  const { crc32 } = requireHere("node:zlib") as {
    crc32(data: Uint8Array): number;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit grey, no interlace
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", ihdr),
      chunk("IEND", Buffer.alloc(0)),
    ]),
  );
}

/** An Excel workbook with `cells` cells, written row by row (ExcelJS's streaming writer). */
export async function workbookWithCells(
  cells: number,
  columns = 20,
): Promise<Uint8Array> {
  const { default: ExcelJS } = await import("exceljs");
  const { PassThrough } = await import("node:stream");
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on("data", (b: Buffer) => parts.push(b));
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: false,
  });
  const sheet = book.addWorksheet("Big");
  const row = Array.from({ length: columns }, (_, i) => i);
  for (let n = 0; n < cells / columns; n++) sheet.addRow(row).commit();
  sheet.commit();
  await book.commit();
  return new Uint8Array(Buffer.concat(parts));
}

/** The formats {@link corpusDocument} writes. */
export const CORPUS_FORMATS = [
  "txt",
  "md",
  "html",
  "pdf",
  "docx",
  "pptx",
  "xlsx",
  "csv",
  "eml",
] as const;
export type CorpusFormat = (typeof CORPUS_FORMATS)[number];

/**
 * A realistic document of some length in a format, from a title and paragraphs (a State of the
 * Union address, in the benchmark): Word with a heading every five paragraphs, a slide per
 * paragraph, a spreadsheet row per sentence, a PDF with wrapped lines over as many pages as they
 * take, an e-mail with the text as its body.
 */
export async function corpusDocument(
  format: CorpusFormat,
  title: string,
  paragraphs: readonly string[],
): Promise<Uint8Array> {
  const encode = (text: string) => new TextEncoder().encode(text);
  const sentences = paragraphs
    .flatMap((p) => p.split(/(?<=[.!?])\s+/))
    .filter(Boolean);
  switch (format) {
    case "txt":
      return encode(paragraphs.join("\n\n"));
    case "md":
      return encode(
        [
          `# ${title}`,
          ...paragraphs.map((p, i) =>
            i % 5 === 0 ? `## Part ${i / 5 + 1}\n\n${p}` : p,
          ),
        ].join("\n\n"),
      );
    case "html":
      return encode(
        `<html><head><title>${title}</title></head><body>${paragraphs.map((p) => `<p>${p}</p>`).join("")}</body></html>`,
      );
    case "docx": {
      const { Document, HeadingLevel, Packer, Paragraph } =
        await import("docx");
      const children = paragraphs.flatMap((p, i) => [
        ...(i % 5 === 0
          ? [
              new Paragraph({
                text: `Part ${i / 5 + 1}`,
                heading: HeadingLevel.HEADING_1,
              }),
            ]
          : []),
        new Paragraph(p),
      ]);
      return new Uint8Array(
        await Packer.toBuffer(
          new Document({ title, sections: [{ children }] }),
        ),
      );
    }
    case "pptx": {
      const { default: PptxGenJS } = await import("pptxgenjs");
      const deck = new PptxGenJS();
      deck.title = title;
      for (const p of paragraphs)
        deck
          .addSlide()
          .addText(p, { x: 0.5, y: 0.5, w: 9, h: 4.5, fontSize: 12 });
      return new Uint8Array(
        (await deck.write({ outputType: "nodebuffer" })) as Buffer,
      );
    }
    case "xlsx": {
      const { default: ExcelJS } = await import("exceljs");
      const book = new ExcelJS.Workbook();
      book.title = title;
      const sheet = book.addWorksheet("Sentences");
      sheet.addRow(["Number", "Sentence"]);
      sentences.forEach((s, i) => sheet.addRow([i + 1, s]));
      return new Uint8Array(await book.xlsx.writeBuffer());
    }
    case "csv":
      return encode(
        [
          "Number,Sentence",
          ...sentences.map((s, i) => `${i + 1},"${s.replaceAll('"', '""')}"`),
        ].join("\n"),
      );
    case "eml": {
      const { default: MailComposer } =
        await import("nodemailer/lib/mail-composer/index.js");
      return new Uint8Array(
        await new MailComposer({
          from: "clerk@example.gov",
          to: "archive@example.gov",
          subject: title,
          text: paragraphs.join("\n\n"),
        })
          .compile()
          .build(),
      );
    }
    case "pdf": {
      const { PDFDocument, StandardFonts } = await import("pdf-lib");
      const pdf = await PDFDocument.create();
      pdf.setTitle(title);
      const font = await pdf.embedFont(StandardFonts.Helvetica);
      const lines: string[] = [];
      for (const p of paragraphs) {
        let line = "";
        for (const word of p.replace(/[^\x20-\x7e]/g, " ").split(/\s+/)) {
          const next = line ? `${line} ${word}` : word;
          if (font.widthOfTextAtSize(next, 11) > 500) {
            lines.push(line);
            line = word;
          } else line = next;
        }
        lines.push(line, "");
      }
      for (let at = 0; at < lines.length; at += 50) {
        const page = pdf.addPage([612, 792]);
        lines
          .slice(at, at + 50)
          .forEach((l, i) =>
            page.drawText(l, { x: 50, y: 740 - i * 14, size: 11, font }),
          );
      }
      return pdf.save();
    }
  }
}
