import { costOf } from "./model-prices";
import { monthOf } from "./utc-calendar";
import type { ModelCall } from "../chain/steps";
import type { Database } from "../db/database";

/** Who asked, with which assistant, for which stored answer. */
export interface Metered {
  readonly username: string;
  readonly groups: readonly string[];
  readonly assistantId?: string;
  readonly messageId?: string;
}

/**
 * Records each model call of a question: tokens in and out, model, step, latency and its
 * estimated cost from the model price table (NULL when the model is not priced). Offline steps
 * call no model and record nothing.
 */
export async function recordUsage(
  db: Database,
  who: Metered,
  calls: readonly ModelCall[],
  at: Date = new Date(),
  /** The quota admission the calls answered: its tokens count in the user's day, and it ends. */
  admission?: { readonly username: string; readonly day: string },
): Promise<void> {
  if (!calls.length && !admission) return;
  const values: unknown[] = [];
  const rows = calls.map((c) => {
    values.push(
      at,
      who.username,
      who.groups,
      who.assistantId ?? null,
      who.messageId ?? null,
      c.step,
      c.provider,
      c.model,
      c.inputTokens,
      c.outputTokens,
      costOf(c.provider, c.model, c) ?? null,
      c.latencyMs,
    );
    const n = values.length - 12;
    return `(${Array.from({ length: 12 }, (_, i) => `$${n + i + 1}`).join(", ")})`;
  });
  const month = monthOf(at);
  const n = values.length;
  values.push(month, admission?.username ?? null, admission?.day ?? null);
  // One statement: the calls, the month's running cost (the budget's), and the admission's
  // counters (tokens of the day, the answer counted, no longer in flight).
  await db.query(
    `WITH ev AS (
       ${
         rows.length
           ? `INSERT INTO usage_events (at, username, groups, assistant_id, message_id, step, provider, model,
         input_tokens, output_tokens, cost_usd, latency_ms) VALUES ${rows.join(", ")}
       RETURNING input_tokens + output_tokens AS tokens, cost_usd`
           : "SELECT 0 AS tokens, NULL::float8 AS cost_usd WHERE false"
       }
     ), month AS (
       INSERT INTO usage_months AS m (month, cost_usd)
       SELECT $${n + 1}::date, sum(cost_usd) FROM ev HAVING count(cost_usd) > 0
       ON CONFLICT (month) DO UPDATE SET cost_usd = m.cost_usd + EXCLUDED.cost_usd
     )
     UPDATE usage_counters SET tokens = tokens + (SELECT coalesce(sum(tokens), 0) FROM ev),
            answered = answered + 1, in_flight = greatest(in_flight - 1, 0)
      WHERE username = $${n + 2} AND day = $${n + 3}::date`,
    values,
  );
}
