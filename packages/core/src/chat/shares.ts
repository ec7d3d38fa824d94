import { z } from "zod";
import { messagesOfSession, type ChatMessage, type Citation } from "./messages";
import { getSession, type ChatSession } from "./sessions";
import { recordAudit } from "../audit/audit-log";
import { readableCollections } from "../collections/collections";
import type { Database } from "../db/database";
import { NotFoundError } from "../errors";
import type { Caller } from "../identity/caller";
import { isUuid } from "../input/cursor";

/** Who a conversation is shared with: a user by username, or everyone in a group. */
export interface SessionShare {
  readonly id: string;
  readonly kind: "user" | "group";
  readonly name: string;
  readonly createdAt: Date;
}

const names = (what: string) =>
  z
    .array(
      z
        .string()
        .trim()
        .min(1, `must not be empty`)
        .max(128, `must be at most 128 characters`)
        .regex(/^[\p{L}\p{M}\p{N}_.@+=,-]+$/u, `must be a ${what} name`),
    )
    .max(50, "must name at most 50")
    .default([]);

/** Whom to share a conversation with (at least one user or group). */
export const shareRequest = z
  .object({ users: names("user"), groups: names("group") })
  .strict()
  .refine((r) => r.users.length + r.groups.length > 0, {
    message: "give at least one user or group",
    path: ["users"],
  });
export type ShareRequest = z.output<typeof shareRequest>;

/** The shares of a conversation, users' then groups', by name. */
async function sharesOf(
  db: Database,
  sessionId: string,
): Promise<SessionShare[]> {
  const { rows } = await db.query<{
    id: string;
    kind: "user" | "group";
    principal: string;
    created_at: Date;
  }>(
    "SELECT id, kind, principal, created_at FROM session_shares WHERE session_id = $1 ORDER BY kind DESC, principal",
    [sessionId],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    name: r.principal,
    createdAt: r.created_at,
  }));
}

/** The shares of the owner's conversation (404 for someone else's). */
export async function listShares(
  db: Database,
  owner: Caller,
  sessionId: string,
): Promise<SessionShare[]> {
  await getSession(db, owner.id, sessionId);
  return sharesOf(db, sessionId);
}

/** Shares the owner's conversation, read-only, with users and groups of the deployment; audited. */
export async function shareSession(
  db: Database,
  owner: Caller,
  sessionId: string,
  request: ShareRequest,
): Promise<SessionShare[]> {
  await getSession(db, owner.id, sessionId);
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO session_shares (session_id, kind, principal, created_by)
       SELECT $1, t.kind, t.principal, $4 FROM unnest($2::text[], $3::text[]) AS t(kind, principal)
       ON CONFLICT (session_id, kind, principal) DO NOTHING`,
      [
        sessionId,
        [
          ...request.users.map(() => "user"),
          ...request.groups.map(() => "group"),
        ],
        [...request.users, ...request.groups],
        owner.username,
      ],
    );
    await recordAudit(tx, {
      actor: owner.username,
      action: "session.share",
      target: sessionId,
      detail: { users: request.users, groups: request.groups },
    });
  });
  return sharesOf(db, sessionId);
}

/** Revokes one share of the owner's conversation at once; audited. 404 for an unknown share. */
export async function revokeShare(
  db: Database,
  owner: Caller,
  sessionId: string,
  shareId: string,
): Promise<void> {
  await getSession(db, owner.id, sessionId);
  if (!isUuid(shareId))
    throw new NotFoundError(`There is no share ${shareId}.`);
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ kind: string; principal: string }>(
      "DELETE FROM session_shares WHERE id = $1 AND session_id = $2 RETURNING kind, principal",
      [shareId, sessionId],
    );
    if (!rows[0]) throw new NotFoundError(`There is no share ${shareId}.`);
    await recordAudit(tx, {
      actor: owner.username,
      action: "session.unshare",
      target: sessionId,
      detail: {
        [rows[0].kind === "user" ? "user" : "group"]: rows[0].principal,
      },
    });
  });
}

/** A conversation as one it is shared with sees it. */
export interface SharedConversation {
  readonly session: Pick<
    ChatSession,
    "id" | "title" | "createdAt" | "updatedAt"
  >;
  /** Who shared it. */
  readonly sharedBy: string;
  readonly messages: readonly ChatMessage[];
}

const WITHHELD_ANSWER =
  "This answer cites documents you may not read, so it is withheld.";

/** A source the viewer may not read: its number stays, nothing of the document does. */
const withheld = (c: Citation): Citation => ({
  number: c.number,
  documentId: "",
  source: "",
  title: "Withheld: a document you may not read",
  chunkId: "",
  text: "",
  score: 0,
  withheld: true,
});

/**
 * A conversation shared with the viewer (by username, or one of their groups as the directory has
 * them now), read-only. Anyone it is not shared with, the owner included, gets 404 here, as for
 * no conversation. An answer citing a document whose collection the viewer may not read is
 * withheld, its text with it (it may quote the document), and those citations carry nothing of it.
 */
export async function sharedConversation(
  db: Database,
  viewer: Pick<Caller, "username" | "groups">,
  sessionId: string,
): Promise<SharedConversation> {
  const notFound = new NotFoundError(
    `There is no conversation ${sessionId} shared with you.`,
  );
  if (!isUuid(sessionId)) throw notFound;
  const { rows } = await db.query<{
    id: string;
    title: string;
    created_at: Date;
    updated_at: Date;
    shared_by: string;
  }>(
    `SELECT s.id, s.title, s.created_at, s.updated_at,
            (SELECT sh.created_by FROM session_shares sh WHERE sh.session_id = s.id ORDER BY sh.created_at LIMIT 1) AS shared_by
       FROM chat_sessions s
      WHERE s.id = $1 AND EXISTS (
        SELECT 1 FROM session_shares sh WHERE sh.session_id = s.id
           AND ((sh.kind = 'user' AND sh.principal = $2) OR (sh.kind = 'group' AND sh.principal = ANY($3::text[]))))`,
    [sessionId, viewer.username, [...viewer.groups]],
  );
  const found = rows[0];
  if (!found) throw notFound;
  const readable = new Set(await readableCollections(db, viewer.groups));
  const messages = await messagesOfSession(db, sessionId);
  const cited = [
    ...new Set(messages.flatMap((m) => m.sources.map((s) => s.documentId))),
  ];
  const { rows: docs } = await db.query<{ id: string; collection_id: string }>(
    "SELECT id, collection_id FROM documents WHERE id = ANY($1::uuid[])",
    [cited.filter(isUuid)],
  );
  // A cited document that is gone, or in a collection the viewer does not read, is withheld.
  const mayRead = new Set(
    docs.filter((d) => readable.has(d.collection_id)).map((d) => d.id),
  );
  return {
    session: {
      id: found.id,
      title: found.title,
      createdAt: found.created_at,
      updatedAt: found.updated_at,
    },
    sharedBy: found.shared_by,
    messages: messages.map((m) => {
      const hidden = m.sources.some((s) => !mayRead.has(s.documentId));
      if (!hidden) return { ...m, feedback: undefined } as ChatMessage;
      return {
        ...m,
        content: WITHHELD_ANSWER,
        sources: m.sources.map((s) =>
          mayRead.has(s.documentId) ? s : withheld(s),
        ),
        feedback: undefined,
      } as ChatMessage;
    }),
  };
}
