import { z } from "zod";
import { recordAudit } from "../audit/audit-log";
import type { Database } from "../db/database";
import { PreconditionFailedError, QuotaExceededError } from "../errors";
import type { Caller } from "../identity/caller";
import { parseInput } from "../input/parse-input";

/** The limits of one user, group or the default; a limit left out is no limit. */
const limits = z
  .object({
    tokensPerDay: z.number().int().positive().optional(),
    messagesPerDay: z.number().int().positive().optional(),
    requestsPerMinute: z.number().int().positive().optional(),
    /** No limit at all: how administrators' own use is exempted, explicitly. */
    exempt: z.boolean().optional(),
  })
  .strict();

/** One user's, group's or the default limits. */
export type Limits = z.infer<typeof limits>;

/**
 * The quotas: a default per user, overrides per group and per user, and an optional monthly
 * budget for the whole deployment in dollars (the estimated cost of its metered model calls).
 */
export const quotasSchema = z
  .object({
    default: limits.default({}),
    groups: z.record(z.string().min(1).max(128), limits).default({}),
    users: z.record(z.string().min(1).max(128), limits).default({}),
    monthlyBudgetUsd: z.number().positive().optional(),
  })
  .strict();

export type Quotas = z.infer<typeof quotasSchema>;

/** No quotas: what a deployment has until an administrator sets some. */
export const NO_QUOTAS: Quotas = { default: {}, groups: {}, users: {} };

/** Parses quotas; throws {@link InvalidInputError} naming each invalid field (400). */
export const parseQuotas = (input: unknown): Quotas =>
  parseInput(quotasSchema, input);

/**
 * A user's limits, the most specific first: their own override's fields, then their groups'
 * (with several groups, each limit is the most generous of those that set it, and any group
 * exempt exempts), then the default's. Administrators are limited like everyone, unless a quota
 * exempts them explicitly (`groups: { Administrators: { exempt: true } }`).
 */
export function limitsFor(
  quotas: Quotas,
  user: { readonly username: string; readonly groups: readonly string[] },
): Limits {
  const fromGroups: Limits = {};
  for (const group of user.groups) {
    const g = quotas.groups[group];
    if (!g) continue;
    if (g.exempt) fromGroups.exempt = true;
    for (const key of [
      "tokensPerDay",
      "messagesPerDay",
      "requestsPerMinute",
    ] as const)
      if (g[key] !== undefined)
        fromGroups[key] = Math.max(fromGroups[key] ?? 0, g[key]);
  }
  return {
    ...quotas.default,
    ...fromGroups,
    ...(Object.hasOwn(quotas.users, user.username)
      ? quotas.users[user.username]
      : {}),
  };
}

/** The current quotas and their version (0: none set yet). */
export async function currentQuotas(
  db: Database,
): Promise<{ version: number; quotas: Quotas }> {
  const { rows } = await db.query<{ version: number; quotas: Quotas }>(
    "SELECT version, quotas FROM quota_versions ORDER BY version DESC LIMIT 1",
  );
  return rows[0] ?? { version: 0, quotas: NO_QUOTAS };
}

/**
 * Saves quotas as the next version if `expectedVersion` is still current (412 otherwise), and
 * audits who changed them.
 */
export async function saveQuotas(
  db: Database,
  author: Caller,
  input: { readonly expectedVersion: number; readonly quotas: unknown },
): Promise<{ version: number; quotas: Quotas }> {
  const quotas = parseQuotas(input.quotas);
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(724313)");
    const current = await currentQuotas(tx);
    if (current.version !== input.expectedVersion)
      throw new PreconditionFailedError(
        `The quotas changed (now version ${current.version}): reload them and apply your change again.`,
      );
    const version = current.version + 1;
    await tx.query(
      "INSERT INTO quota_versions (version, quotas, author) VALUES ($1, $2, $3)",
      [version, JSON.stringify(quotas), author.username],
    );
    await recordAudit(tx, {
      actor: author.username,
      action: "quotas.update",
      target: `version ${version}`,
      detail: { version },
    });
    return { version, quotas };
  });
}

/** How long an admitted question may stay in flight before it no longer counts. */
const IN_FLIGHT_MS = 5 * 60_000;

const startOfUtcDay = (t: Date) =>
  new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
const startOfUtcMonth = (t: Date) =>
  new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1));

/** What a user used: questions in the last minute (and the oldest's time), today's questions, those in flight, today's tokens. */
interface Used {
  readonly minute: number;
  readonly oldest: Date | null;
  readonly messages: number;
  readonly inFlight: number;
  readonly tokens: number;
  readonly answered: number;
}

async function usedNow(
  db: Database,
  username: string,
  now: Date,
): Promise<Used> {
  const { rows } = await db.query<{
    minute: number;
    oldest: Date | null;
    messages: number;
    in_flight: number;
    tokens: string;
    answered: number;
  }>(
    `SELECT
       (SELECT count(*)::int FROM quota_admissions WHERE username = $1 AND at > $2::timestamptz - interval '1 minute') AS minute,
       (SELECT min(at) FROM quota_admissions WHERE username = $1 AND at > $2::timestamptz - interval '1 minute') AS oldest,
       (SELECT count(*)::int FROM quota_admissions WHERE username = $1 AND at >= $3 AND (finished OR at > $2::timestamptz - $4 * interval '1 millisecond')) AS messages,
       (SELECT count(*)::int FROM quota_admissions WHERE username = $1 AND NOT finished AND at > $2::timestamptz - $4 * interval '1 millisecond') AS in_flight,
       (SELECT coalesce(sum(input_tokens + output_tokens), 0) FROM usage_events WHERE username = $1 AND at >= $3) AS tokens,
       (SELECT count(*)::int FROM quota_admissions WHERE username = $1 AND at >= $3 AND finished) AS answered`,
    [username, now, startOfUtcDay(now), IN_FLIGHT_MS],
  );
  const r = rows[0];
  return {
    minute: r.minute,
    oldest: r.oldest && new Date(r.oldest),
    messages: r.messages,
    inFlight: r.in_flight,
    tokens: Number(r.tokens),
    answered: r.answered,
  };
}

/** How much of a daily limit a user has left. */
export interface Allowance {
  readonly limit: "messagesPerDay" | "tokensPerDay";
  readonly max: number;
  readonly used: number;
  readonly resetsAt: Date;
}

/** A user's daily allowances (none when exempt or unlimited): for the website's "running low" notice. */
export async function allowancesOf(
  db: Database,
  user: { readonly username: string; readonly groups: readonly string[] },
  now: Date = new Date(),
): Promise<Allowance[]> {
  const { quotas } = await currentQuotas(db);
  const limit = limitsFor(quotas, user);
  if (limit.exempt) return [];
  const used = await usedNow(db, user.username, now);
  const resetsAt = new Date(startOfUtcDay(now).getTime() + 86_400_000);
  return [
    ...(limit.messagesPerDay !== undefined
      ? [
          {
            limit: "messagesPerDay" as const,
            max: limit.messagesPerDay,
            used: used.messages,
            resetsAt,
          },
        ]
      : []),
    ...(limit.tokensPerDay !== undefined
      ? [
          {
            limit: "tokensPerDay" as const,
            max: limit.tokensPerDay,
            used: used.tokens,
            resetsAt,
          },
        ]
      : []),
  ];
}

/**
 * Lets a question through the user's limits, or refuses it with {@link QuotaExceededError} (429)
 * before any model is called and before anything is stored. Checked under a lock per user, so
 * parallel questions are counted one by one: an admitted question counts as a message of its day
 * from here on, and while it is in flight another is admitted only if both fit in the tokens left
 * (each estimated at the user's average message today), so parallel requests overspend by at most
 * one message. Returns the admission's id, for {@link finishAdmission}.
 */
export async function admitQuestion(
  db: Database,
  user: { readonly username: string; readonly groups: readonly string[] },
  now: Date = new Date(),
): Promise<string> {
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [
      `quota:${user.username}`,
    ]);
    const { quotas } = await currentQuotas(tx);
    const limit = limitsFor(quotas, user);
    const day = startOfUtcDay(now);
    const tomorrow = new Date(day.getTime() + 86_400_000);
    if (!limit.exempt) {
      const used = await usedNow(tx, user.username, now);
      const { tokens } = used;
      if (
        limit.requestsPerMinute !== undefined &&
        used.minute >= limit.requestsPerMinute
      )
        throw new QuotaExceededError(
          `You sent ${limit.requestsPerMinute} question${limit.requestsPerMinute === 1 ? "" : "s"} in the last minute, your limit: wait a moment.`,
          "requestsPerMinute",
          new Date(used.oldest!.getTime() + 60_000),
        );
      if (
        limit.messagesPerDay !== undefined &&
        used.messages >= limit.messagesPerDay
      )
        throw new QuotaExceededError(
          `You asked ${limit.messagesPerDay} question${limit.messagesPerDay === 1 ? "" : "s"} today, your daily limit: it resets at midnight UTC.`,
          "messagesPerDay",
          tomorrow,
        );
      if (limit.tokensPerDay !== undefined) {
        const perMessage = used.answered ? tokens / used.answered : 0;
        if (
          tokens >= limit.tokensPerDay ||
          (used.inFlight > 0 &&
            tokens + (used.inFlight + 1) * perMessage > limit.tokensPerDay)
        )
          throw new QuotaExceededError(
            `Your questions today used ${tokens} of your ${limit.tokensPerDay} tokens a day: the allowance resets at midnight UTC.`,
            "tokensPerDay",
            tomorrow,
          );
      }
    }
    if (quotas.monthlyBudgetUsd !== undefined) {
      const month = startOfUtcMonth(now);
      const { rows } = await tx.query<{ spent: number }>(
        "SELECT coalesce(sum(cost_usd), 0)::float8 AS spent FROM usage_events WHERE at >= $1",
        [month],
      );
      if (rows[0].spent >= quotas.monthlyBudgetUsd)
        throw new QuotaExceededError(
          `This deployment's monthly model budget ($${quotas.monthlyBudgetUsd}) is spent: it resets on the 1st (UTC). Ask an administrator.`,
          "monthlyBudgetUsd",
          new Date(
            Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1),
          ),
        );
    }
    const { rows } = await tx.query<{ id: string }>(
      "INSERT INTO quota_admissions (username, at) VALUES ($1, $2) RETURNING id",
      [user.username, now],
    );
    return rows[0].id;
  });
}

/** Ends an admitted question: answered, it stays a message of its day; failed, it no longer counts. */
export async function finishAdmission(
  db: Database,
  id: string,
  answered: boolean,
): Promise<void> {
  await db.query(
    answered
      ? "UPDATE quota_admissions SET finished = true WHERE id = $1"
      : "DELETE FROM quota_admissions WHERE id = $1",
    [id],
  );
}
