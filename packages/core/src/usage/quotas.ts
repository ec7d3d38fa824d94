import { z } from "zod";
import { recordUsage, type Metered } from "./metering";
import { isoDay, monthOf, nextUtcDay, nextUtcMonth } from "./utc-calendar";
import { recordAudit } from "../audit/audit-log";
import type { ModelCall } from "../chain/steps";
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
    cachedQuotas.delete(db);
    return { version, quotas };
  });
}

/** How long a process reuses the quotas it read: the longest a saved change takes to apply. */
export const QUOTAS_TTL_MS = 2_000;

const cachedQuotas = new WeakMap<Database, { quotas: Quotas; until: number }>();

/** The current quotas, read at most every {@link QUOTAS_TTL_MS} per process and database. */
async function quotasNow(db: Database, now: number): Promise<Quotas> {
  const cached = cachedQuotas.get(db);
  if (cached && cached.until > now) return cached.quotas;
  const { quotas } = await currentQuotas(db);
  cachedQuotas.set(db, { quotas, until: now + QUOTAS_TTL_MS });
  return quotas;
}

/** A question let through: whose, and the UTC day it counts on. */
export interface Admission {
  readonly username: string;
  readonly day: string;
}

interface Counters {
  messages: number;
  answered: number;
  tokens: string;
  in_flight: number;
  minute_start: Date;
  minute_count: number;
}

/**
 * Lets a question through the user's limits, or refuses it with {@link QuotaExceededError} (429)
 * before any model is called and before anything is stored. One statement checks and counts it
 * under the lock of the user's row of the day, so parallel questions are counted one by one: an
 * admitted question is a message of its day at once, and while one is in flight another is
 * admitted only if both fit in the tokens left (each estimated at the user's average answer
 * today), so parallel requests overspend by at most one message. The monthly budget is read from
 * the month's running total. Quotas are read at most every {@link QUOTAS_TTL_MS}.
 */
export async function admitQuestion(
  db: Database,
  user: { readonly username: string; readonly groups: readonly string[] },
  now: Date = new Date(),
): Promise<Admission> {
  const quotas = await quotasNow(db, now.getTime());
  const limit = limitsFor(quotas, user);
  const free = limit.exempt === true;
  const day = isoDay(now);
  const month = monthOf(now);
  const { rows } = await db.query(
    `INSERT INTO usage_counters AS c (username, day, messages, in_flight, minute_start, minute_count)
     SELECT $1, $2::date, 1, 1, $3, 1
      WHERE $7::float8 IS NULL
         OR coalesce((SELECT cost_usd FROM usage_months WHERE month = $8::date), 0) < $7
     ON CONFLICT (username, day) DO UPDATE SET
       messages = c.messages + 1,
       in_flight = c.in_flight + 1,
       minute_count = CASE WHEN c.minute_start > $3::timestamptz - interval '1 minute' THEN c.minute_count + 1 ELSE 1 END,
       minute_start = CASE WHEN c.minute_start > $3::timestamptz - interval '1 minute' THEN c.minute_start ELSE $3 END
     WHERE ($4::int IS NULL OR c.messages < $4)
       AND ($5::bigint IS NULL OR (c.tokens < $5 AND (c.in_flight = 0
            OR c.tokens + (c.in_flight + 1) * (c.tokens::float8 / greatest(c.answered, 1)) <= $5)))
       AND ($6::int IS NULL OR c.minute_start <= $3::timestamptz - interval '1 minute' OR c.minute_count < $6)
     RETURNING 1`,
    [
      user.username,
      day,
      now,
      free ? null : (limit.messagesPerDay ?? null),
      free ? null : (limit.tokensPerDay ?? null),
      free ? null : (limit.requestsPerMinute ?? null),
      quotas.monthlyBudgetUsd ?? null,
      month,
    ],
  );
  if (rows.length) return { username: user.username, day };
  throw await whyRefused(db, user.username, day, month, limit, quotas, now);
}

/** Which limit refused a question: read again after the refusal, for the 429's message. */
async function whyRefused(
  db: Database,
  username: string,
  day: string,
  month: string,
  limit: Limits,
  quotas: Quotas,
  now: Date,
): Promise<QuotaExceededError> {
  const tomorrow = nextUtcDay(now);
  const { rows } = await db.query<Counters & { spent: number | null }>(
    `SELECT c.*, (SELECT cost_usd FROM usage_months WHERE month = $3::date) AS spent
       FROM (SELECT 1) one LEFT JOIN usage_counters c ON c.username = $1 AND c.day = $2::date`,
    [username, day, month],
  );
  const c = rows[0];
  if (
    quotas.monthlyBudgetUsd !== undefined &&
    (c.spent ?? 0) >= quotas.monthlyBudgetUsd
  )
    return new QuotaExceededError(
      `This deployment's monthly model budget ($${quotas.monthlyBudgetUsd}) is spent: it resets on the 1st (UTC). Ask an administrator.`,
      "monthlyBudgetUsd",
      nextUtcMonth(now),
    );
  const minuteStart = c.minute_start && new Date(c.minute_start);
  if (
    limit.requestsPerMinute !== undefined &&
    minuteStart &&
    minuteStart.getTime() > now.getTime() - 60_000 &&
    c.minute_count >= limit.requestsPerMinute
  )
    return new QuotaExceededError(
      `You sent ${limit.requestsPerMinute} question${limit.requestsPerMinute === 1 ? "" : "s"} in the last minute, your limit: wait a moment.`,
      "requestsPerMinute",
      new Date(minuteStart.getTime() + 60_000),
    );
  if (limit.messagesPerDay !== undefined && c.messages >= limit.messagesPerDay)
    return new QuotaExceededError(
      `You asked ${limit.messagesPerDay} question${limit.messagesPerDay === 1 ? "" : "s"} today, your daily limit: it resets at midnight UTC.`,
      "messagesPerDay",
      tomorrow,
    );
  return new QuotaExceededError(
    `Your questions today used ${Number(c.tokens ?? 0)} of your ${limit.tokensPerDay} tokens a day${c.in_flight ? ", with another question of yours being answered" : ""}: the allowance resets at midnight UTC.`,
    "tokensPerDay",
    tomorrow,
  );
}

/**
 * Ends an admitted question. Answered: its model calls are metered ({@link recordUsage}), and
 * counted in the user's tokens of the day and the month's cost, in one statement. Failed: it no
 * longer counts.
 */
export async function finishAdmission(
  db: Database,
  admission: Admission,
  answered:
    { readonly who: Metered; readonly calls: readonly ModelCall[] } | false,
  at: Date = new Date(),
): Promise<void> {
  if (!answered) {
    await db.query(
      `UPDATE usage_counters SET messages = greatest(messages - 1, 0), in_flight = greatest(in_flight - 1, 0)
        WHERE username = $1 AND day = $2::date`,
      [admission.username, admission.day],
    );
    return;
  }
  await recordUsage(db, answered.who, answered.calls, at, admission);
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
  const limit = limitsFor(await quotasNow(db, now.getTime()), user);
  if (limit.exempt) return [];
  const { rows } = await db.query<Counters>(
    "SELECT * FROM usage_counters WHERE username = $1 AND day = $2::date",
    [user.username, isoDay(now)],
  );
  const resetsAt = nextUtcDay(now);
  return [
    ...(limit.messagesPerDay !== undefined
      ? [
          {
            limit: "messagesPerDay" as const,
            max: limit.messagesPerDay,
            used: rows[0]?.messages ?? 0,
            resetsAt,
          },
        ]
      : []),
    ...(limit.tokensPerDay !== undefined
      ? [
          {
            limit: "tokensPerDay" as const,
            max: limit.tokensPerDay,
            used: Number(rows[0]?.tokens ?? 0),
            resetsAt,
          },
        ]
      : []),
  ];
}
