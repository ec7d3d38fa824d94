import { costOf } from "./model-prices";
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
): Promise<void> {
  if (!calls.length) return;
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
  await db.query(
    `INSERT INTO usage_events (at, username, groups, assistant_id, message_id, step, provider, model,
       input_tokens, output_tokens, cost_usd, latency_ms) VALUES ${rows.join(", ")}`,
    values,
  );
}
