import type { Section } from "../location";

/** What an e-mail gives: its headers and body, and its attachments to extract in turn. */
export interface ParsedEmail {
  readonly sections: Section[];
  readonly title?: string;
  readonly date?: string;
  readonly attachments: {
    readonly filename: string;
    readonly content: Uint8Array;
  }[];
}

/**
 * An e-mail (.eml) with mailparser: a first section of its headers (From, To, Cc, Date, Subject)
 * and body (the text part, else the HTML part as text); its attachments are returned for the
 * caller to extract, each under `attachment 'name'`. Title: the subject.
 */
export async function parseEmail(bytes: Uint8Array): Promise<ParsedEmail> {
  const { simpleParser } = await import("mailparser");
  const mail = await simpleParser(Buffer.from(bytes), {
    skipImageLinks: true,
    skipTextLinks: true,
  });
  const addresses = (a: typeof mail.to) =>
    (Array.isArray(a) ? a : a ? [a] : []).map((x) => x.text).join(", ");
  const headers = [
    ["From", addresses(mail.from)],
    ["To", addresses(mail.to)],
    ["Cc", addresses(mail.cc)],
    ["Date", mail.date?.toISOString() ?? ""],
    ["Subject", mail.subject ?? ""],
  ]
    .filter(([, value]) => value)
    .map(([key, value]) => `${key}: ${value}`);
  let body = mail.text ?? "";
  if (!body.trim() && typeof mail.html === "string") {
    const { convert } = await import("html-to-text");
    body = convert(mail.html, { wordwrap: false });
  }
  return {
    sections: [{ text: [...headers, "", body].join("\n") }],
    ...(mail.subject?.trim() ? { title: mail.subject.trim() } : {}),
    ...(mail.date ? { date: mail.date.toISOString().slice(0, 10) } : {}),
    attachments: mail.attachments
      .filter((a) => a.filename && a.contentDisposition !== "inline")
      .map((a) => ({
        filename: a.filename!,
        content: new Uint8Array(a.content),
      })),
  };
}
