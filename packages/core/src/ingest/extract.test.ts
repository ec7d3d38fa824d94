import { describe, expect, it } from "vitest";
import {
  MAX_DOCUMENT_CHARACTERS,
  MAX_PDF_PAGES,
  extractDocument,
} from "./extract";
import { InvalidInputError } from "../errors";

/** A PDF of `count` empty pages, built object by object (the xref offsets must be exact). */
function pdfWithPages(count: number): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    `<< /Type /Pages /Count ${count} /Kids [${Array.from({ length: count }, (_, i) => `${i + 3} 0 R`).join(" ")}] >>`,
    ...Array.from(
      { length: count },
      () => "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
    ),
  ];
  let body = "%PDF-1.4\n";
  const offsets = objects.map((object, i) => {
    const offset = Buffer.byteLength(body);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets
    .map((o) => `${String(o).padStart(10, "0")} 00000 n \n`)
    .join("");
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

describe("extractDocument's bounds", () => {
  it("reads an HTML title from the head only, and cuts an overlong one", async () => {
    const late = `<html><body>${"x".repeat(70 * 1024)}<title>Late</title></body></html>`;
    expect(
      (await extractDocument("/docs/late-page.html", Buffer.from(late))).title,
    ).toBe("Late page");
    const long = `<html><head><title>${"T".repeat(1000)}</title></head><body>b</body></html>`;
    expect(
      (await extractDocument("/docs/long.html", Buffer.from(long))).title,
    ).toHaveLength(300);
  });

  it("refuses a document with more text than one document may have, naming the file", async () => {
    const huge = Buffer.alloc(MAX_DOCUMENT_CHARACTERS + 1, "a");
    const error = await extractDocument("/docs/huge.txt", huge).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain("/docs/huge.txt is too large to ingest");
  });

  it("refuses a PDF with more pages than the limit before extracting any", async () => {
    const ok = await extractDocument("/docs/three.pdf", pdfWithPages(3));
    expect(ok.title).toBe("Three");
    const error = await extractDocument(
      "/docs/many.pdf",
      pdfWithPages(MAX_PDF_PAGES + 1),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain(`${MAX_PDF_PAGES + 1} pages`);
  });
});
