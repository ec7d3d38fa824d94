import type { Database } from "../db/database";
import { decodeCursor, toPage, type Page } from "../input/cursor";
import type { PageRequest } from "../input/requests";

/** What administrators changed: configuration, assistants, documents, users, collections. */
export type AuditAction =
  | "collection.create"
  | "collection.update"
  | "collection.delete"
  | "assistant.create"
  | "assistant.update"
  | "assistant.restore"
  | "inference-config.update"
  | "inference-config.restore"
  | "evaluation-set.save"
  | "evaluation-set.delete"
  | "evaluation-set.add-question"
  | "evaluation.run"
  | "guardrail.intervened"
  | "document.upload"
  | "document.download"
  | "document.delete"
  | "document.move"
  | "user.invite"
  | "user.update"
  | "chat.overrides"
  | "quotas.update"
  | "source.create"
  | "source.delete"
  | "session.share"
  | "session.unshare";

/** One audit-log entry. */
export interface AuditEntry {
  readonly id: number;
  readonly actor: string;
  readonly action: AuditAction;
  readonly target?: string;
  readonly detail: Record<string, unknown>;
  readonly createdAt: Date;
}

/** Records who did what to which target; call it inside the transaction that made the change. */
export async function recordAudit(
  tx: Database,
  entry: {
    actor: string;
    action: AuditAction;
    target?: string;
    detail?: Record<string, unknown>;
  },
): Promise<void> {
  await tx.query(
    "INSERT INTO audit_log (actor, action, target, detail) VALUES ($1, $2, $3, $4)",
    [
      entry.actor,
      entry.action,
      entry.target ?? null,
      JSON.stringify(entry.detail ?? {}),
    ],
  );
}

/** The audit log, newest first. */
export async function listAuditLog(
  db: Database,
  page: PageRequest,
): Promise<Page<AuditEntry>> {
  const before = page.cursor
    ? Number(decodeCursor(page.cursor, ["integer"])[0])
    : null;
  const { rows } = await db.query<{
    id: string;
    actor: string;
    action: AuditAction;
    target: string | null;
    detail: Record<string, unknown>;
    created_at: Date;
  }>(
    `SELECT id, actor, action, target, detail, created_at FROM audit_log
     WHERE $1::bigint IS NULL OR id < $1 ORDER BY id DESC LIMIT $2`,
    [before, page.limit + 1],
  );
  return toPage(
    rows,
    page.limit,
    (r) => ({
      id: Number(r.id),
      actor: r.actor,
      action: r.action,
      ...(r.target ? { target: r.target } : {}),
      detail: r.detail,
      createdAt: r.created_at,
    }),
    (r) => [Number(r.id)],
  );
}
