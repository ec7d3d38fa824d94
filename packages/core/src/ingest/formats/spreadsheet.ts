import { Readable } from "node:stream";
import { readZip, coreProperties } from "./zip";
import {
  MAX_SPREADSHEET_CELLS,
  formatCount,
  refused,
  tooLarge,
} from "../limits";
import type { Section } from "../location";

/** Words in one row group: a group is a chunk on its own, under the chunker's budget. */
const GROUP_WORDS = 150;

/** A cell's value as text: rich text, formulas' results, hyperlinks' text, dates as ISO dates. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value !== "object") return String(value).trim();
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.richText))
    return v.richText
      .map((r: { text?: string }) => r.text ?? "")
      .join("")
      .trim();
  if ("result" in v) return cellText(v.result);
  if ("text" in v) return cellText(v.text);
  if ("error" in v) return String(v.error);
  return "";
}

/**
 * Rows as readable groups: each row's cells named by the header row (`Region: North; Sales: 12`),
 * so a chunk means something on its own; a group holds whole rows up to about 150 words and
 * records which rows it holds.
 */
export class RowGrouper {
  readonly sections: Section[] = [];
  private header: string[] | undefined;
  private lines: string[] = [];
  private words = 0;
  private first = 0;
  private last = 0;

  constructor(private readonly sheet?: string) {}

  add(rowNumber: number, cells: readonly string[]): void {
    if (cells.every((c) => c === "")) return;
    if (!this.header) {
      this.header = cells.map((c, i) => c || `Column ${i + 1}`);
      return;
    }
    const line = cells
      .map((c, i) => (c ? `${this.header![i] ?? `Column ${i + 1}`}: ${c}` : ""))
      .filter(Boolean)
      .join("; ");
    const words = line.split(/\s+/).length;
    if (this.lines.length && this.words + words > GROUP_WORDS) this.flush();
    if (!this.lines.length) this.first = rowNumber;
    this.lines.push(line);
    this.words += words;
    this.last = rowNumber;
  }

  flush(): Section[] {
    if (this.lines.length)
      this.sections.push({
        text: [
          ...(this.sheet ? [`Sheet ${this.sheet}`] : []),
          ...this.lines,
        ].join("\n"),
        location: {
          ...(this.sheet !== undefined ? { sheet: this.sheet } : {}),
          rows: [this.first, this.last],
        },
      });
    this.lines = [];
    this.words = 0;
    return this.sections;
  }
}

/** Counts cells as they are read, refusing the file past {@link MAX_SPREADSHEET_CELLS}. */
export function cellCounter(name: string): (cells: number) => void {
  let total = 0;
  return (cells) => {
    total += cells;
    if (total > MAX_SPREADSHEET_CELLS)
      throw tooLarge(
        name,
        `more than ${formatCount(MAX_SPREADSHEET_CELLS)} cells`,
      );
  };
}

/**
 * An Excel workbook's sheets as row groups (`Sheet 'Q3', rows 40–60`), read row by row with
 * ExcelJS's streaming reader, after the zip's real size is checked. Title and date from the core properties.
 */
export async function xlsxSections(
  name: string,
  bytes: Uint8Array,
): Promise<{
  sections: Section[];
  pages: number;
  title?: string;
  date?: string;
}> {
  const entries = await readZip(
    name,
    bytes,
    (e) => e === "docProps/core.xml" || e === "xl/workbook.xml",
  );
  if (!entries.has("xl/workbook.xml"))
    throw refused(name, "it is not an Excel workbook (no xl/workbook.xml)");
  const { default: ExcelJS } = await import("exceljs");
  const count = cellCounter(name);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(
    Readable.from([Buffer.from(bytes)]),
    {
      sharedStrings: "cache",
      hyperlinks: "ignore",
      styles: "cache",
      worksheets: "emit",
      entries: "emit",
    },
  );
  const sections: Section[] = [];
  let sheets = 0;
  for await (const worksheet of reader) {
    sheets += 1;
    const sheet =
      (worksheet as unknown as { name?: string }).name ?? `Sheet${sheets}`;
    const rows = new RowGrouper(sheet);
    for await (const row of worksheet as AsyncIterable<{
      number: number;
      values: unknown[];
    }>) {
      const values = Array.isArray(row.values) ? row.values.slice(1) : [];
      count(values.length);
      rows.add(row.number, Array.from(values, cellText));
    }
    sections.push(...rows.flush());
  }
  return { sections, pages: sheets, ...coreProperties(entries) };
}

/** A CSV file as row groups (`rows 40–60`), parsed with csv-parse; the first row is the header. */
export async function csvSections(
  name: string,
  text: string,
): Promise<{ sections: Section[] }> {
  const { parse } = await import("csv-parse");
  const count = cellCounter(name);
  const rows = new RowGrouper();
  const parser = Readable.from([text]).pipe(
    parse({
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
    }),
  );
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { records: number };
  }>) {
    count(record.length);
    rows.add(
      info.records,
      record.map((c) => c.trim()),
    );
  }
  return { sections: rows.flush() };
}
