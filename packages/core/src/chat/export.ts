import { z } from "zod";
import { listMessages, type ChatMessage } from "./messages";
import { getSession, type ChatSession } from "./sessions";
import type { Database } from "../db/database";
import { MAX_PAGE_SIZE } from "../input/requests";

/** `?format=` of a conversation's export. */
export const exportFormat = z
  .enum(["md", "json"], {
    errorMap: () => ({ message: "must be md or json" }),
  })
  .default("md");
export type ExportFormat = z.output<typeof exportFormat>;

/** The query of `GET /sessions/{id}/export`. */
export const exportRequest = z.object({ format: exportFormat }).strict();

/** A conversation as a file. */
export interface ExportedConversation {
  readonly fileName: string;
  readonly contentType: string;
  readonly body: string;
}

/** Every message of the owner's session, oldest first (404 for someone else's). */
async function allMessages(
  db: Database,
  owner: string,
  sessionId: string,
): Promise<ChatMessage[]> {
  const messages: ChatMessage[] = [];
  let cursor: string | undefined;
  do {
    const page = await listMessages(db, owner, sessionId, {
      limit: MAX_PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    });
    messages.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return messages;
}

/** `Harbour survey` → `harbour-survey`: a file name from a title. */
const slug = (title: string) =>
  title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60) || "conversation";

/**
 * A conversation as Markdown: each question and answer in turn, the answer's citations `[n]` as
 * footnotes `[^a-n]` (one set per answer, so numbers never collide), each naming the document's
 * title, where the passage is, and its source.
 */
export function conversationMarkdown(
  session: ChatSession,
  messages: readonly ChatMessage[],
): string {
  const lines = [
    `# ${session.title}`,
    "",
    `_Exported from Sextant on ${new Date().toISOString().slice(0, 10)}._`,
    "",
  ];
  let answers = 0;
  for (const m of messages) {
    if (m.role === "user") {
      lines.push(`**Question:** ${m.content}`, "");
      continue;
    }
    answers += 1;
    const mark = (n: string) => `[^${answers}-${n}]`;
    lines.push(
      `**Answer:** ${m.content.replace(/\[(\d{1,3})\](?!\()/g, (_, n: string) => mark(n))}`,
      "",
    );
    for (const s of m.sources)
      lines.push(
        `${mark(String(s.number))}: ${[s.title, s.location, s.source].filter(Boolean).join(", ")}`,
      );
    if (m.sources.length) lines.push("");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/**
 * The owner's conversation as a file: Markdown (citations as footnotes), or JSON (the session and
 * every message as stored, with sources, latency, usage and feedback). 404 for someone else's.
 */
export async function exportConversation(
  db: Database,
  owner: string,
  sessionId: string,
  format: ExportFormat,
): Promise<ExportedConversation> {
  const session = await getSession(db, owner, sessionId);
  const messages = await allMessages(db, owner, sessionId);
  const name = `${slug(session.title)}.${format}`;
  return format === "json"
    ? {
        fileName: name,
        contentType: "application/json",
        body: JSON.stringify({ session, messages }, null, 2),
      }
    : {
        fileName: name,
        contentType: "text/markdown; charset=utf-8",
        body: conversationMarkdown(session, messages),
      };
}
