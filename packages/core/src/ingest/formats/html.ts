import type { FormatCallback } from "html-to-text";
import { MAX_DOCUMENT_CHARACTERS } from "../limits";
import type { Section } from "../location";

/** Where an HTML `<title>` is looked for: the head, not a whole large page. */
const HTML_TITLE_WINDOW = 64 * 1024;
/** Marks a heading line in html-to-text's output (a private-use character no document text holds after conversion). */
const MARK = "\uE000";

/** html-to-text writes each heading as one marked line, which {@link sectionsOfText} splits on. */
const markedHeading: FormatCallback = (elem, walk, builder, options) => {
  builder.openBlock({ leadingLineBreaks: 2 });
  builder.addLiteral(`${MARK}${String(options.level ?? 1)}${MARK}`);
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: 2 });
};

/**
 * HTML as sections under their heading path (`Introduction › Safety`), with html-to-text: links
 * without their addresses, images left out. Word documents come here too, as mammoth's HTML.
 */
export async function htmlSections(html: string): Promise<{
  sections: Section[];
  title?: string;
  firstHeading?: string;
}> {
  const { convert } = await import("html-to-text");
  const text = convert(html.replaceAll(MARK, ""), {
    wordwrap: false,
    limits: { maxInputLength: MAX_DOCUMENT_CHARACTERS },
    formatters: { markedHeading },
    selectors: [
      { selector: "a", options: { ignoreHref: true } },
      { selector: "img", format: "skip" },
      ...[1, 2, 3, 4, 5, 6].map((level) => ({
        selector: `h${level}`,
        format: "markedHeading",
        options: { level },
      })),
    ],
  });
  const title = convert(
    /<title[^>]*>([\s\S]*?)<\/title>/i.exec(
      html.slice(0, HTML_TITLE_WINDOW),
    )?.[1] ?? "",
    { wordwrap: false },
  ).trim();
  const { sections, firstHeading } = sectionsOfText(text);
  return {
    sections,
    ...(title ? { title } : {}),
    ...(firstHeading ? { firstHeading } : {}),
  };
}

/** A heading ends as a sentence, so it does not run into the passage's first one ("Safety. The keeper…"). */
const asSentence = (heading: string) =>
  /[.!?:;]$/.test(heading) ? heading : `${heading}.`;

const HEADING_LINE = new RegExp(`^${MARK}(\\d)${MARK}(.*)$`);

function sectionsOfText(text: string): {
  sections: Section[];
  firstHeading?: string;
} {
  const sections: Section[] = [];
  const path: { level: number; text: string }[] = [];
  let body: string[] = [];
  let firstHeading: string | undefined;
  // The nearest heading leads its section's text, as it stood in the document.
  const close = () => {
    const joined = body.join("\n").trim();
    if (joined)
      sections.push({
        text: path.length
          ? `${asSentence(path[path.length - 1].text)}\n\n${joined}`
          : joined,
        ...(path.length
          ? { location: { headings: path.map((h) => h.text) } }
          : {}),
      });
    body = [];
  };
  for (const line of text.split("\n")) {
    const heading = HEADING_LINE.exec(line);
    if (!heading) {
      body.push(line);
      continue;
    }
    close();
    const level = Number(heading[1]);
    const headingText = heading[2].replace(/\s+/g, " ").trim();
    if (!headingText) continue;
    firstHeading ??= headingText;
    while (path.length && path[path.length - 1].level >= level) path.pop();
    path.push({ level, text: headingText });
  }
  close();
  return { sections, ...(firstHeading ? { firstHeading } : {}) };
}

/**
 * Markdown as sections under their heading path: ATX headings (`#` to `######`) outside fenced
 * code blocks. The text stays Markdown, as it was ingested before.
 */
export function markdownSections(markdown: string): {
  sections: Section[];
  firstHeading?: string;
} {
  const lines = markdown.replaceAll(MARK, "").split("\n");
  let fence: string | undefined;
  const marked = lines.map((line) => {
    const opener = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (opener && (!fence || opener.startsWith(fence))) {
      fence = fence ? undefined : opener.slice(0, 3);
      return line;
    }
    if (fence) return line;
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    return heading ? `${MARK}${heading[1].length}${MARK}${heading[2]}` : line;
  });
  return sectionsOfText(marked.join("\n"));
}
