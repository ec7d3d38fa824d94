import { describe, expect, it } from "vitest";
import { applyChanges, getAt, numberOrText, withAt } from "./paths";

describe("paths", () => {
  it("reads and writes nested fields without touching the original", () => {
    const config = { retrieval: { k: 5, rrfK: 60 }, historyTurns: 4 };
    const next = withAt(config, "retrieval.k", 2);
    expect(getAt(next, "retrieval.k")).toBe(2);
    expect(getAt(next, "retrieval.rrfK")).toBe(60);
    expect(config.retrieval.k).toBe(5);
    expect(getAt(config, "missing.path")).toBeUndefined();
    expect(withAt({}, "a.b", 1)).toEqual({ a: { b: 1 } });
  });

  it("keeps text that is not a number, so validation can name the field", () => {
    expect(numberOrText("0.25")).toBe(0.25);
    expect(numberOrText("")).toBe("");
    expect(numberOrText("abc")).toBe("abc");
  });
});

describe("applyChanges", () => {
  it("sets each changed path on a copy of the base", () => {
    const base = { retrieval: { k: 5, rrfK: 60 }, historyTurns: 4 };
    expect(
      applyChanges(base, [
        { path: "retrieval.k", to: 2 },
        { path: "historyTurns", to: 3 },
      ]),
    ).toEqual({ retrieval: { k: 2, rrfK: 60 }, historyTurns: 3 });
    expect(base.retrieval.k).toBe(5);
  });
});
