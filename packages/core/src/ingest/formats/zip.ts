import type { XMLParser } from "fast-xml-parser";
import type { UnzipFile } from "fflate";
import {
  MAX_UNZIPPED_BYTES,
  MAX_ZIP_ENTRIES,
  formatCount,
  tooLarge,
} from "../limits";

/** The entries of an Office file that a reader asked for, by name. */
export type ZipEntries = ReadonlyMap<string, Uint8Array>;

/**
 * Inflates a zip (every Office Open XML file is one) with fflate, counting the bytes each entry
 * really inflates to, not what its header claims: past {@link MAX_UNZIPPED_BYTES} in all, or
 * {@link MAX_ZIP_ENTRIES} entries, it stops and refuses the file. Only the entries `keep` selects
 * are held; the rest are inflated to be counted and dropped. After this, a library reading the
 * same bytes (mammoth, ExcelJS) inflates no more than was counted.
 */
export async function readZip(
  name: string,
  bytes: Uint8Array,
  keep: (entry: string) => boolean,
): Promise<ZipEntries> {
  // Loaded when an Office file arrives: functions that never read one never load them.
  const { Unzip, UnzipInflate } = await import("fflate");
  xml ??= await xmlParser();
  const kept = new Map<string, Uint8Array>();
  let inflated = 0;
  let entries = 0;
  let refusal: Error | undefined;
  const unzip = new Unzip((file: UnzipFile) => {
    if (refusal) return;
    if (++entries > MAX_ZIP_ENTRIES) {
      refusal = tooLarge(
        name,
        `more than ${formatCount(MAX_ZIP_ENTRIES)} entries in the file`,
      );
      return;
    }
    const parts: Uint8Array[] = [];
    const wanted = keep(file.name);
    file.ondata = (error, data, final) => {
      if (refusal) return;
      if (error) {
        refusal = error;
        return;
      }
      inflated += data.length;
      if (inflated > MAX_UNZIPPED_BYTES) {
        refusal = tooLarge(
          name,
          `it inflates to more than ${formatCount(MAX_UNZIPPED_BYTES / 1024 / 1024)} MiB (a zip bomb?)`,
        );
        file.terminate();
        return;
      }
      if (wanted) parts.push(data);
      if (final && wanted) kept.set(file.name, concat(parts));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    // Pushed in slices, so a refusal stops the inflating within one slice's worth of output.
    const slice = 64 * 1024;
    for (let at = 0; at < bytes.length && !refusal; at += slice)
      unzip.push(bytes.subarray(at, at + slice), at + slice >= bytes.length);
  } catch (e) {
    refusal ??= e instanceof Error ? e : new Error(String(e));
  }
  if (refusal) throw refusal;
  return kept;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

let xml: XMLParser | undefined;
async function xmlParser(): Promise<XMLParser> {
  const { XMLParser: Parser } = await import("fast-xml-parser");
  return new Parser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    removeNSPrefix: true,
    // Text stays text: "0012" is not 12, "true" is not true.
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: true,
    htmlEntities: false,
  });
}

/** An XML entry of the zip, parsed (fast-xml-parser); undefined when the zip has no such entry. Call after {@link readZip}. */
export function xmlEntry(entries: ZipEntries, entry: string): any {
  const bytes = entries.get(entry);
  if (!bytes) return undefined;
  const text = new TextDecoder().decode(bytes);
  // Office parts never declare a DTD; one that does is refused rather than have its entities expanded.
  if (/<!DOCTYPE/i.test(text))
    throw new Error(`${entry} declares a DTD, which Office files never do.`);
  return xml!.parse(text);
}

/** A value as a list: fast-xml-parser gives one child as an object and several as an array. */
export const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Text of an XML value that may carry attributes (`{ "#text": …, "@xsi:type": … }`). */
export const textOf = (value: unknown): string =>
  typeof value === "string"
    ? value
    : value && typeof value === "object" && "#text" in value
      ? String((value as { "#text": unknown })["#text"])
      : "";

/** The title and creation date from an Office file's core properties (`docProps/core.xml`). */
export function coreProperties(entries: ZipEntries): {
  title?: string;
  date?: string;
} {
  const core = xmlEntry(entries, "docProps/core.xml")?.coreProperties ?? {};
  const title = textOf(core.title).trim();
  const created = textOf(core.created).trim();
  return {
    ...(title ? { title } : {}),
    ...(/^\d{4}-\d{2}-\d{2}/.test(created)
      ? { date: created.slice(0, 10) }
      : {}),
  };
}
