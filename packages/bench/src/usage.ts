import { openDatabase } from "@sextant/core/embedded";
import {
  admitQuestion,
  currentQuotas,
  finishAdmission,
  saveQuotas,
} from "@sextant/core/store";
import { percentile, round } from "@sextant/local";

const CALLS = [
  ["condense", 350, 30],
  ["answer", 2400, 350],
] as const;

/**
 * What usage metering and quotas add to a message, on the embedded database: the quota check
 * before the models (one statement under the user's row lock), and metering the message's model
 * calls after (one statement: the calls, the month's cost, the user's counters). Measured against a store that already holds a month of usage (30 users,
 * 60 answers each a day), with quotas set on every limit, so each check reads real rows.
 */
export async function benchUsage(messages = 300) {
  const store = await openDatabase(undefined, "");
  try {
    const { db } = store;
    const admin = {
      id: "a",
      username: "admin",
      groups: ["Administrators"],
      isAdministrator: true,
    };
    await saveQuotas(db, admin, {
      expectedVersion: (await currentQuotas(db)).version,
      quotas: {
        default: {
          messagesPerDay: 1_000_000,
          tokensPerDay: 1_000_000_000,
          requestsPerMinute: 1_000_000,
        },
        groups: { Analysts: { messagesPerDay: 2_000_000 } },
        monthlyBudgetUsd: 1_000_000,
      },
    });
    const now = Date.now();
    // A month of usage, and its running cost (what the budget reads).
    await db.query(
      `INSERT INTO usage_events (at, username, step, provider, model, input_tokens, output_tokens, cost_usd, latency_ms)
       SELECT to_timestamp($1 / 1000.0) - (d || ' days')::interval - (n || ' minutes')::interval, 'user' || u,
              'answer', 'bedrock', 'anthropic.claude-3-5-haiku-20241022-v1:0', 2400, 350, 0.0033, 900
         FROM generate_series(0, 29) d, generate_series(1, 30) u, generate_series(1, 60) n`,
      [now],
    );
    await db.query(
      "INSERT INTO usage_months (month, cost_usd) SELECT date_trunc('month', now())::date, sum(cost_usd) FROM usage_events",
    );
    await db.query("ANALYZE usage_events");
    const user = { username: "user1", groups: ["Analysts"] };
    const calls = CALLS.map(([step, inputTokens, outputTokens]) => ({
      step,
      provider: "bedrock",
      model: "anthropic.claude-3-5-haiku-20241022-v1:0",
      inputTokens,
      outputTokens,
      latencyMs: 900,
    }));
    const checkMs: number[] = [];
    const meterMs: number[] = [];
    for (let i = 0; i < messages + 20; i++) {
      let t = performance.now();
      const id = await admitQuestion(db, user);
      const check = performance.now() - t;
      t = performance.now();
      await finishAdmission(db, id, { who: user, calls });
      const meter = performance.now() - t;
      if (i >= 20) {
        checkMs.push(check);
        meterMs.push(meter);
      }
    }
    const totalMs = checkMs.map((c, i) => c + meterMs[i]);
    return {
      messages,
      storedEvents: 30 * 30 * 60,
      quotaCheckP50Ms: round(percentile(checkMs, 50)),
      quotaCheckP95Ms: round(percentile(checkMs, 95)),
      meteringP50Ms: round(percentile(meterMs, 50)),
      meteringP95Ms: round(percentile(meterMs, 95)),
      addedP50Ms: round(percentile(totalMs, 50)),
      addedP95Ms: round(percentile(totalMs, 95)),
    };
  } finally {
    await store.close();
  }
}
