import { htmlSections } from "./html";
import {
  asList,
  coreProperties,
  readZip,
  textOf,
  xmlEntry,
  type ZipEntries,
} from "./zip";
import { refused } from "../limits";
import type { Section } from "../location";

interface OfficeDocument {
  sections: Section[];
  pages?: number;
  title?: string;
  firstHeading?: string;
  date?: string;
}

/**
 * A Word document as sections under their heading path: mammoth turns its paragraphs into HTML
 * (Heading 1–6 styles into `<h1>`–`<h6>`), read as any HTML. Title and date from its core properties.
 */
export async function docxSections(
  name: string,
  bytes: Uint8Array,
): Promise<OfficeDocument> {
  const entries = await readZip(
    name,
    bytes,
    (e) => e === "docProps/core.xml" || e === "word/document.xml",
  );
  if (!entries.has("word/document.xml"))
    throw refused(name, "it is not a Word document (no word/document.xml)");
  const mammoth = await import("mammoth");
  const { value: html } = await mammoth.convertToHtml({
    buffer: Buffer.from(bytes),
  });
  return { ...(await htmlSections(html)), ...coreProperties(entries) };
}

const RELATIONSHIP_TYPE =
  "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** The targets of a part's relationships, by id, as zip entry names. */
function relationships(
  entries: ZipEntries,
  part: string,
): Map<string, { target: string; type: string }> {
  const folder = part.slice(0, part.lastIndexOf("/"));
  const rels = xmlEntry(
    entries,
    `${folder}/_rels/${part.slice(folder.length + 1)}.rels`,
  );
  return new Map(
    asList<any>(rels?.Relationships?.Relationship).map((r) => [
      String(r["@Id"]),
      {
        target: resolvePart(folder, String(r["@Target"])),
        type: String(r["@Type"]),
      },
    ]),
  );
}

/** `../notesSlides/notesSlide1.xml` from `ppt/slides` is `ppt/notesSlides/notesSlide1.xml`. */
function resolvePart(folder: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = folder.split("/");
  for (const step of target.split("/")) {
    if (step === "..") parts.pop();
    else if (step !== ".") parts.push(step);
  }
  return parts.join("/");
}

/** Paragraph texts of a slide or notes part: each `a:p`'s runs (`a:t`) joined, in document order. */
function paragraphs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const n of node) paragraphs(n, out);
  } else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith("@")) continue;
      if (key === "p") {
        for (const p of asList<any>(value)) {
          const text = runs(p).join("");
          if (text.trim()) out.push(text.trim());
        }
      } else paragraphs(value, out);
    }
  }
  return out;
}

function runs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) runs(n, out);
  else if (node && typeof node === "object")
    for (const [key, value] of Object.entries(node)) {
      if (key === "t") for (const t of asList(value)) out.push(textOf(t));
      else if (key === "br") out.push("\n");
      else if (!key.startsWith("@")) runs(value, out);
    }
  return out;
}

/**
 * A PowerPoint deck as one section per slide (`slide 4`), in the deck's order
 * (`ppt/presentation.xml`): the slide's text, then its speaker notes. Title from the core
 * properties, else the first slide's first line.
 */
export async function pptxSections(
  name: string,
  bytes: Uint8Array,
): Promise<OfficeDocument> {
  const entries = await readZip(
    name,
    bytes,
    (e) => e.endsWith(".xml") || e.endsWith(".rels"),
  );
  const presentation = xmlEntry(entries, "ppt/presentation.xml")?.presentation;
  if (!presentation)
    throw refused(
      name,
      "it is not a PowerPoint deck (no ppt/presentation.xml)",
    );
  const deck = relationships(entries, "ppt/presentation.xml");
  const slides = asList<any>(presentation.sldIdLst?.sldId)
    .map((s) => deck.get(String(s["@id"]))?.target)
    .filter((t): t is string => Boolean(t && entries.has(t)));
  const sections: Section[] = [];
  slides.forEach((slide, i) => {
    const text = paragraphs(xmlEntry(entries, slide)?.sld?.cSld);
    const notesPart = [...relationships(entries, slide).values()].find(
      (r) => r.type === `${RELATIONSHIP_TYPE}/notesSlide`,
    )?.target;
    // Notes parts repeat the slide number in a placeholder: only the notes' body text is kept.
    const notes = notesPart ? notesText(xmlEntry(entries, notesPart)) : [];
    const body = [
      ...text,
      ...(notes.length ? ["Speaker notes:", ...notes] : []),
    ].join("\n");
    if (body.trim()) sections.push({ text: body, location: { slide: i + 1 } });
  });
  const first = sections[0]?.text.split("\n")[0];
  return {
    sections,
    pages: slides.length,
    ...(first ? { firstHeading: first } : {}),
    ...coreProperties(entries),
  };
}

/** The text of a notes part's body placeholder (not its slide image or slide number). */
function notesText(notes: any): string[] {
  const shapes = asList<any>(notes?.notes?.cSld?.spTree?.sp);
  const body = shapes.filter((sp) =>
    asList<any>(sp?.nvSpPr?.nvPr?.ph).some((ph) => ph?.["@type"] === "body"),
  );
  return paragraphs(
    body.length ? body : shapes.filter((sp) => !sp?.nvSpPr?.nvPr?.ph),
  );
}
