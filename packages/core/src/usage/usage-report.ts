import { z } from "zod";
import type { Database } from "../db/database";
import { InvalidInputError } from "../errors";
import { isoDay } from "./utc-calendar";
import { parseInput } from "../input/parse-input";

/** What usage can be grouped by. */
export const USAGE_GROUPINGS = [
  "day",
  "user",
  "group",
  "model",
  "assistant",
] as const;
export type UsageGrouping = (typeof USAGE_GROUPINGS)[number];

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date, YYYY-MM-DD")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), "is not a date");

const usageQuerySchema = z
  .object({
    from: day.optional(),
    to: day.optional(),
    groupBy: z.enum(USAGE_GROUPINGS).default("day"),
  })
  .strict();

/** A usage question: UTC days `from` to `to`, both included (the last 30 days by default), grouped. */
export interface UsageQuery {
  readonly from: string;
  readonly to: string;
  readonly groupBy: UsageGrouping;
}

/**
 * Reads a usage query from request parameters; 400 naming the field for a bad date, a range that
 * ends before it starts or spans more than 366 days, or an unknown grouping.
 */
export function parseUsageQuery(
  input: unknown,
  now: Date = new Date(),
): UsageQuery {
  const q = parseInput(usageQuerySchema, input);
  const to = q.to ?? isoDay(now);
  const from =
    q.from ?? isoDay(new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000));
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days < 1 || days > 366) {
    const message =
      days < 1
        ? "must not be before from"
        : "must be at most 366 days after from";
    throw new InvalidInputError(`Invalid request: to ${message}.`, [
      { path: "to", message },
    ]);
  }
  return { from, to, groupBy: q.groupBy };
}

/** One bucket of usage: tokens, messages and estimated cost. */
export interface UsageBucket {
  /** The day (YYYY-MM-DD), username, group, model id or assistant id. */
  readonly key: string;
  /** The assistant's name, for `assistant` buckets. */
  readonly label?: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Answers that called at least one model. */
  readonly messages: number;
  /** Model calls. */
  readonly calls: number;
  /** Estimated cost in dollars of the priced calls. */
  readonly costUsd: number;
  /** Calls whose model has no price (a SageMaker endpoint, an OpenAI-compatible server). */
  readonly unpricedCalls: number;
}

/** Usage over a range, grouped, largest first (by day: in order). */
export interface UsageReport extends UsageQuery {
  readonly buckets: UsageBucket[];
}

/** The SQL key of each grouping; a user in two groups counts in both. */
const KEY: Record<UsageGrouping, string> = {
  day: "to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
  user: "e.username",
  group: "g.name",
  model: "e.model",
  assistant: "coalesce(e.assistant_id::text, '(none)')",
};

/** Metered model calls from `from` to `to` (UTC days, both included), grouped. */
export async function usageReport(
  db: Database,
  query: UsageQuery,
): Promise<UsageReport> {
  const key = KEY[query.groupBy];
  const { rows } = await db.query<{
    key: string;
    label: string | null;
    input_tokens: string;
    output_tokens: string;
    messages: number;
    calls: number;
    cost_usd: number;
    unpriced_calls: number;
  }>(
    `SELECT ${key} AS key,
            ${query.groupBy === "assistant" ? "max(a.name)" : "NULL"} AS label,
            sum(e.input_tokens) AS input_tokens, sum(e.output_tokens) AS output_tokens,
            count(DISTINCT e.message_id)::int AS messages, count(*)::int AS calls,
            coalesce(sum(e.cost_usd), 0)::float8 AS cost_usd,
            count(*) FILTER (WHERE e.cost_usd IS NULL)::int AS unpriced_calls
       FROM usage_events e
       ${query.groupBy === "group" ? "CROSS JOIN LATERAL unnest(CASE WHEN cardinality(e.groups) = 0 THEN ARRAY['(none)'] ELSE e.groups END) AS g(name)" : ""}
       ${query.groupBy === "assistant" ? "LEFT JOIN assistants a ON a.id = e.assistant_id" : ""}
      WHERE e.at >= $1::date AND e.at < $2::date + 1
      GROUP BY 1
      ORDER BY ${query.groupBy === "day" ? "1" : "sum(e.input_tokens + e.output_tokens) DESC, 1"}`,
    [query.from, query.to],
  );
  return {
    ...query,
    buckets: rows.map((r) => ({
      key: r.key,
      ...(r.label ? { label: r.label } : {}),
      inputTokens: Number(r.input_tokens),
      outputTokens: Number(r.output_tokens),
      messages: r.messages,
      calls: r.calls,
      costUsd: r.cost_usd,
      unpricedCalls: r.unpriced_calls,
    })),
  };
}

/** A CSV field, quoted when it must be (RFC 4180), and never read as a formula by a spreadsheet. */
function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The report as CSV: a header row, then one row per bucket, the same figures as the JSON. */
export function usageCsv(report: UsageReport): string {
  const header = [
    report.groupBy,
    "label",
    "inputTokens",
    "outputTokens",
    "messages",
    "calls",
    "costUsd",
    "unpricedCalls",
  ];
  return [
    header.join(","),
    ...report.buckets.map((b) =>
      [
        b.key,
        b.label ?? "",
        b.inputTokens,
        b.outputTokens,
        b.messages,
        b.calls,
        b.costUsd,
        b.unpricedCalls,
      ]
        .map(csvField)
        .join(","),
    ),
  ].join("\r\n");
}
