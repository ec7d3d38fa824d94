import type { Database } from "../db/database";
import { DEFAULT_ASSISTANT_ID } from "../db/migrations";
import { NotFoundError } from "../errors";
import { decodeCursor, isUuid, toPage, type Page } from "../input/cursor";
import type { PageRequest } from "../input/requests";

/** A chat session: one conversation of one user, with one assistant. */
export interface ChatSession {
  readonly id: string;
  readonly title: string;
  readonly assistantId: string;
  readonly assistantName: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The title of a session before its first question names it. */
export const UNTITLED_SESSION = "New chat";

interface SessionRow {
  id: string;
  title: string;
  assistant_id: string;
  assistant_name: string;
  created_at: Date;
  updated_at: Date;
  updated_key: string;
}
const COLUMNS = `id, title, assistant_id, created_at, updated_at, updated_at::text AS updated_key,
  (SELECT name FROM assistants a WHERE a.id = assistant_id) AS assistant_name`;
const toSession = (r: SessionRow): ChatSession => ({
  id: r.id,
  title: r.title,
  assistantId: r.assistant_id,
  assistantName: r.assistant_name,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const notFound = (id: string) =>
  new NotFoundError(`There is no session ${id}.`);

/** The owner's sessions, most recently active first. */
export async function listSessions(
  db: Database,
  owner: string,
  page: PageRequest,
): Promise<Page<ChatSession>> {
  const [updated, id] = page.cursor
    ? decodeCursor(page.cursor, ["timestamp", "uuid"])
    : [null, null];
  const { rows } = await db.query<SessionRow>(
    `SELECT ${COLUMNS} FROM chat_sessions
     WHERE owner = $1 AND ($2::timestamptz IS NULL OR (updated_at, id) < ($2::timestamptz, $3::uuid))
     ORDER BY updated_at DESC, id DESC LIMIT $4`,
    [owner, updated, id, page.limit + 1],
  );
  return toPage(rows, page.limit, toSession, (r) => [r.updated_key, r.id]);
}

/**
 * Starts a session for the owner with an assistant (Default when none is given); check first that
 * the owner may use it ({@link assistantForNewSession}).
 */
export async function createSession(
  db: Database,
  owner: string,
  title = UNTITLED_SESSION,
  assistantId = DEFAULT_ASSISTANT_ID,
): Promise<ChatSession> {
  const { rows } = await db.query<SessionRow>(
    `INSERT INTO chat_sessions (owner, title, assistant_id) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
    [owner, title, assistantId],
  );
  return toSession(rows[0]);
}

/** The owner's session; {@link NotFoundError} when it does not exist or is someone else's. */
export async function getSession(
  db: Database,
  owner: string,
  id: string,
): Promise<ChatSession> {
  if (!isUuid(id)) throw notFound(id);
  const { rows } = await db.query<SessionRow>(
    `SELECT ${COLUMNS} FROM chat_sessions WHERE id = $1 AND owner = $2`,
    [id, owner],
  );
  if (!rows[0]) throw notFound(id);
  return toSession(rows[0]);
}

/** Renames the owner's session. */
export async function renameSession(
  db: Database,
  owner: string,
  id: string,
  title: string,
): Promise<ChatSession> {
  if (!isUuid(id)) throw notFound(id);
  const { rows } = await db.query<SessionRow>(
    `UPDATE chat_sessions SET title = $3, updated_at = now() WHERE id = $1 AND owner = $2 RETURNING ${COLUMNS}`,
    [id, owner, title],
  );
  if (!rows[0]) throw notFound(id);
  return toSession(rows[0]);
}

/** Deletes the owner's session with its messages and their feedback. */
export async function deleteSession(
  db: Database,
  owner: string,
  id: string,
): Promise<void> {
  if (!isUuid(id)) throw notFound(id);
  const { rows } = await db.query(
    "DELETE FROM chat_sessions WHERE id = $1 AND owner = $2 RETURNING id",
    [id, owner],
  );
  if (!rows[0]) throw notFound(id);
}
