import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordUsage } from "./metering";
import {
  parseUsageQuery,
  USAGE_GROUPINGS,
  usageCsv,
  usageReport,
  type UsageBucket,
} from "./usage-report";
import { DEFAULT_ASSISTANT_ID } from "../db/migrations";
import { openDatabase, type OpenDatabase } from "../db/open-database";
import { InvalidInputError } from "../errors";

let store: OpenDatabase;
beforeAll(async () => {
  store = await openDatabase(undefined, "");
});
afterAll(async () => store?.close());

const event = fc.record({
  day: fc.integer({ min: 1, max: 28 }),
  username: fc.constantFrom("ada", "bob", "carol"),
  groups: fc.subarray(["HR", "Analysts"]),
  assistant: fc.boolean(),
  message: fc.integer({ min: 0, max: 5 }),
  model: fc.constantFrom(
    "anthropic.claude-3-5-haiku-20241022-v1:0",
    "my-sagemaker-endpoint",
  ),
  inputTokens: fc.integer({ min: 0, max: 5000 }),
  outputTokens: fc.integer({ min: 0, max: 500 }),
});
type Event = typeof event extends fc.Arbitrary<infer T> ? T : never;
const messageId = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

describe("usage reports (GET /admin/usage and its CSV)", () => {
  it("sums each grouping exactly as a direct sum of the events does (property, on Postgres)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { maxLength: 30 }),
        fc.constantFrom(...USAGE_GROUPINGS),
        async (events, groupBy) => {
          await store.db.query("TRUNCATE usage_events");
          for (const e of events)
            await recordUsage(
              store.db,
              {
                username: e.username,
                groups: e.groups,
                assistantId: e.assistant ? DEFAULT_ASSISTANT_ID : undefined,
                messageId: messageId(e.message),
              },
              [
                {
                  step: "answer",
                  provider: e.model.startsWith("anthropic")
                    ? "bedrock"
                    : "sagemaker",
                  model: e.model,
                  inputTokens: e.inputTokens,
                  outputTokens: e.outputTokens,
                  latencyMs: 10,
                },
              ],
              new Date(Date.UTC(2026, 10, e.day, 12)),
            );
          const report = await usageReport(store.db, {
            from: "2026-11-01",
            to: "2026-11-30",
            groupBy,
          });
          const keysOf = (e: Event): string[] =>
            groupBy === "day"
              ? [`2026-11-${String(e.day).padStart(2, "0")}`]
              : groupBy === "user"
                ? [e.username]
                : groupBy === "group"
                  ? e.groups.length
                    ? e.groups
                    : ["(none)"]
                  : groupBy === "model"
                    ? [e.model]
                    : [e.assistant ? DEFAULT_ASSISTANT_ID : "(none)"];
          const expected = new Map<
            string,
            { i: number; o: number; m: Set<number>; n: number; u: number }
          >();
          for (const e of events)
            for (const k of keysOf(e)) {
              const b = expected.get(k) ?? {
                i: 0,
                o: 0,
                m: new Set(),
                n: 0,
                u: 0,
              };
              b.i += e.inputTokens;
              b.o += e.outputTokens;
              b.m.add(e.message);
              b.n += 1;
              if (!e.model.startsWith("anthropic")) b.u += 1;
              expected.set(k, b);
            }
          expect(
            Object.fromEntries(
              report.buckets.map((b) => [
                b.key,
                [
                  b.inputTokens,
                  b.outputTokens,
                  b.messages,
                  b.calls,
                  b.unpricedCalls,
                ],
              ]),
            ),
          ).toEqual(
            Object.fromEntries(
              [...expected].map(([k, b]) => [
                k,
                [b.i, b.o, b.m.size, b.n, b.u],
              ]),
            ),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it("writes the CSV with the same figures as the JSON, quoting what must be quoted", async () => {
    await store.db.query("TRUNCATE usage_events");
    await recordUsage(store.db, { username: '=cmd|"x",y', groups: [] }, [
      {
        step: "answer",
        provider: "bedrock",
        model: "anthropic.claude-3-5-haiku-20241022-v1:0",
        inputTokens: 1000,
        outputTokens: 200,
        latencyMs: 5,
      },
    ]);
    const report = await usageReport(
      store.db,
      parseUsageQuery({ groupBy: "user" }),
    );
    const [header, row] = usageCsv(report).split("\r\n");
    expect(header).toBe(
      "user,label,inputTokens,outputTokens,messages,calls,costUsd,unpricedCalls",
    );
    const b: UsageBucket = report.buckets[0];
    expect(row).toBe(
      `"'=cmd|""x"",y",,${b.inputTokens},${b.outputTokens},${b.messages},${b.calls},${b.costUsd},${b.unpricedCalls}`,
    );
    expect(b.costUsd).toBeCloseTo(1 * 0.0008 + 0.2 * 0.004, 10);
  });

  it("refuses a bad range or grouping with 400 naming the field", () => {
    for (const [query, path] of [
      [{ from: "2026-13-01" }, "from"],
      [{ from: "2026-11-30", to: "2026-11-01" }, "to"],
      [{ from: "2024-01-01", to: "2026-01-01" }, "to"],
      [{ groupBy: "weekday" }, "groupBy"],
    ] as const) {
      let e: unknown;
      try {
        parseUsageQuery(query);
      } catch (error) {
        e = error;
      }
      expect(e, JSON.stringify(query)).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).fields[0].path).toBe(path);
    }
    expect(parseUsageQuery({}, new Date("2026-11-30T10:00:00Z"))).toEqual({
      from: "2026-11-01",
      to: "2026-11-30",
      groupBy: "day",
    });
  });
});
