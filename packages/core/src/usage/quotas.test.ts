import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recordUsage } from "./metering";
import {
  admitQuestion,
  allowancesOf,
  currentQuotas,
  finishAdmission,
  limitsFor,
  NO_QUOTAS,
  saveQuotas,
  type Quotas,
} from "./quotas";
import { askQuestionAndWait } from "../chat/ask";
import { listMessages } from "../chat/messages";
import { createSession } from "../chat/sessions";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import {
  InvalidInputError,
  PreconditionFailedError,
  QuotaExceededError,
} from "../errors";
import type { Caller } from "../identity/caller";

const ada: Caller = {
  id: "sub-ada",
  username: "ada",
  groups: ["Administrators"],
  isAdministrator: true,
};
const bob: Caller = {
  id: "sub-bob",
  username: "bob",
  groups: ["Analysts"],
  isAdministrator: false,
};
const users = {
  groupsOf: async (u: string) =>
    u === "ada" ? ["Administrators"] : ["Analysts"],
};

let store: OpenDatabase;
beforeAll(async () => {
  store = await openDatabase(undefined, "");
});
afterAll(async () => store?.close());
beforeEach(async () => {
  await store.db.query(
    "TRUNCATE quota_versions, usage_counters, usage_months, usage_events",
  );
});

const setQuotas = async (quotas: Partial<Quotas>) => {
  const { version } = await currentQuotas(store.db);
  await saveQuotas(store.db, ada, { expectedVersion: version, quotas });
};
/** A model call of `tokens` tokens, as the chain meters it. */
const call = (tokens: number) => ({
  step: "answer" as const,
  provider: "bedrock",
  model: "anthropic.claude-3-5-haiku-20241022-v1:0",
  inputTokens: tokens - 100,
  outputTokens: 100,
  latencyMs: 900,
});

describe("quotas: a user's limits, the most specific first", () => {
  const quotas: Quotas = {
    default: { messagesPerDay: 10, tokensPerDay: 1000 },
    groups: {
      Analysts: { messagesPerDay: 50 },
      Researchers: { messagesPerDay: 80, requestsPerMinute: 5 },
      Administrators: { exempt: true },
    },
    users: { bob: { tokensPerDay: 99 } },
  };

  it("takes the user's own override, then their groups' (the most generous), then the default", () => {
    expect(limitsFor(quotas, { username: "carol", groups: [] })).toEqual({
      messagesPerDay: 10,
      tokensPerDay: 1000,
    });
    expect(
      limitsFor(quotas, {
        username: "carol",
        groups: ["Analysts", "Researchers"],
      }),
    ).toEqual({ messagesPerDay: 80, tokensPerDay: 1000, requestsPerMinute: 5 });
    expect(
      limitsFor(quotas, { username: "bob", groups: ["Analysts"] }),
    ).toEqual({
      messagesPerDay: 50,
      tokensPerDay: 99,
    });
    expect(
      limitsFor(quotas, { username: "ada", groups: ["Administrators"] }).exempt,
    ).toBe(true);
    // Administrators count like everyone unless a quota exempts them.
    expect(
      limitsFor(
        { ...quotas, groups: {} },
        { username: "ada", groups: ["Administrators"] },
      ),
    ).toEqual({ messagesPerDay: 10, tokensPerDay: 1000 });
  });

  it("resolves any quotas and user to the user's override where it sets a limit, else the groups' largest, else the default (property)", () => {
    const limit = fc.option(fc.integer({ min: 1, max: 1000 }), {
      nil: undefined,
    });
    const limits = fc.record({ messagesPerDay: limit }, { requiredKeys: [] });
    fc.assert(
      fc.property(
        limits,
        fc.dictionary(fc.constantFrom("a", "b", "c"), limits),
        fc.option(limits, { nil: undefined }),
        fc.subarray(["a", "b", "c"]),
        (byDefault, groups, own, memberOf) => {
          const got = limitsFor(
            { default: byDefault, groups, users: own ? { u: own } : {} },
            { username: "u", groups: memberOf },
          ).messagesPerDay;
          const fromGroups = memberOf
            .map((g) => groups[g]?.messagesPerDay)
            .filter((v): v is number => v !== undefined);
          const expected =
            own && "messagesPerDay" in own
              ? own.messagesPerDay
              : fromGroups.length
                ? Math.max(...fromGroups)
                : byDefault.messagesPerDay;
          expect(got).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps versions: a stale If-Match is 412, an invalid quota a 400 naming the field", async () => {
    await setQuotas({ default: { messagesPerDay: 5 } });
    expect((await currentQuotas(store.db)).version).toBe(1);
    await expect(
      saveQuotas(store.db, ada, { expectedVersion: 0, quotas: NO_QUOTAS }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    const invalid = await saveQuotas(store.db, ada, {
      expectedVersion: 1,
      quotas: { default: { messagesPerDay: -1 } },
    }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidInputError);
    expect((invalid as InvalidInputError).fields[0].path).toBe(
      "default.messagesPerDay",
    );
  });
});

describe("quotas checked before any model call (429 with the limit and its reset)", () => {
  it("refuses the next question over messagesPerDay with when it resets, and stores nothing", async () => {
    await setQuotas({ default: { messagesPerDay: 1 } });
    const session = await createSession(store.db, bob.id);
    await askQuestionAndWait({ db: store.db, users }, bob, {
      sessionId: session.id,
      question: "When was the Erie canal finished?",
    });
    const now = new Date();
    const refused = await askQuestionAndWait({ db: store.db, users }, bob, {
      sessionId: session.id,
      question: "And who built it?",
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(QuotaExceededError);
    const e = refused as QuotaExceededError;
    expect(e.limit).toBe("messagesPerDay");
    const midnight = Date.UTC(
      now.getUTCFullYear(),
      now.getUTCMonth(),
      now.getUTCDate() + 1,
    );
    expect(e.resetsAt.getTime()).toBe(midnight);
    expect(e.retryAfterSeconds(now.getTime())).toBe(
      Math.ceil((midnight - now.getTime()) / 1000),
    );
    const { items } = await listMessages(store.db, bob.id, session.id, {
      limit: 50,
    });
    expect(items.map((m) => m.role)).toEqual(["user", "assistant"]);
  });

  it("limits requests per minute on their own, and lets an exempted administrator through", async () => {
    await setQuotas({
      default: { requestsPerMinute: 2 },
      groups: { Administrators: { exempt: true } },
    });
    const at = new Date("2026-11-30T10:00:00Z");
    for (const s of [0, 10])
      await admitQuestion(store.db, bob, new Date(at.getTime() + s * 1000));
    const refused = await admitQuestion(
      store.db,
      bob,
      new Date(at.getTime() + 20_000),
    ).catch((e: unknown) => e);
    expect((refused as QuotaExceededError).limit).toBe("requestsPerMinute");
    expect((refused as QuotaExceededError).resetsAt).toEqual(
      new Date(at.getTime() + 60_000),
    );
    await admitQuestion(store.db, bob, new Date(at.getTime() + 61_000));
    for (let i = 0; i < 5; i++) await admitQuestion(store.db, ada, at);
  });

  it("refuses everyone once the month's estimated cost reaches the deployment's budget", async () => {
    await setQuotas({ monthlyBudgetUsd: 0.01 });
    await recordUsage(store.db, { username: "ada", groups: [] }, [
      call(10_000), // 9,900 in and 100 out of Claude 3.5 Haiku: $0.00832
      call(2_000),
    ]);
    const refused = await admitQuestion(store.db, bob).catch((e: unknown) => e);
    expect((refused as QuotaExceededError).limit).toBe("monthlyBudgetUsd");
  });

  it("lets 20 parallel questions at the tokensPerDay boundary overspend by at most one message", async () => {
    await setQuotas({ default: { tokensPerDay: 1000 } });
    // One answered message of 400 tokens today: the user's average.
    const first = await admitQuestion(store.db, bob);
    await finishAdmission(store.db, first, { who: bob, calls: [call(400)] });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const admitted = await admitQuestion(store.db, bob).catch(
          (e: unknown) => e as QuotaExceededError,
        );
        if (admitted instanceof QuotaExceededError) return admitted.limit;
        // The model call takes a while; its tokens are recorded as it ends.
        await new Promise((r) => setTimeout(r, 20));
        await finishAdmission(store.db, admitted, {
          who: bob,
          calls: [call(400)],
        });
        return "admitted";
      }),
    );
    const { rows } = await store.db.query<{ tokens: string }>(
      "SELECT sum(input_tokens + output_tokens) AS tokens FROM usage_events WHERE username = 'bob'",
    );
    expect(outcomes.filter((o) => o === "admitted").length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o !== "admitted")).toEqual(
      Array(outcomes.filter((o) => o !== "admitted").length).fill(
        "tokensPerDay",
      ),
    );
    expect(Number(rows[0].tokens)).toBeLessThanOrEqual(1000 + 400);
  });

  it("lets 20 parallel questions at the messagesPerDay boundary through exactly to the limit", async () => {
    await setQuotas({ default: { messagesPerDay: 3 } });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        admitQuestion(store.db, bob).then(
          () => "admitted",
          (e: QuotaExceededError) => e.limit,
        ),
      ),
    );
    expect(outcomes.filter((o) => o === "admitted")).toHaveLength(3);
  });

  it("tells a user what is left of their daily allowances, and nothing when exempt", async () => {
    await setQuotas({
      default: { messagesPerDay: 5, tokensPerDay: 1000 },
      groups: { Administrators: { exempt: true } },
    });
    const admitted = await admitQuestion(store.db, bob);
    await finishAdmission(store.db, admitted, { who: bob, calls: [call(300)] });
    const [messages, tokens] = await allowancesOf(store.db, bob);
    expect(messages).toMatchObject({
      limit: "messagesPerDay",
      max: 5,
      used: 1,
    });
    expect(tokens).toMatchObject({
      limit: "tokensPerDay",
      max: 1000,
      used: 300,
    });
    expect(await allowancesOf(store.db, ada)).toEqual([]);
  });
});
