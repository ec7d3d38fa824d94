import { describe, expect, it } from "vitest";
import { getAt, numberOrText, withAt } from "./paths";

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
