import { describe, expect, it } from "vitest";
import { idempotencyKeyOf, parseIfMatch } from "../src/lib/headers";

describe("If-Match", () => {
  it.each([
    ['"3"', 3],
    ["3", 3],
    ['W/"12"', 12],
  ])("reads %s as version %d", (header, version) => {
    expect(parseIfMatch(header)).toBe(version);
  });

  it.each([undefined, "", "*", '"abc"', '"1", "2"'])(
    "rejects %j with 400 naming If-Match",
    (header) => {
      expect(() => parseIfMatch(header)).toThrow(
        expect.objectContaining({
          fields: [expect.objectContaining({ path: "If-Match" })],
        }),
      );
    },
  );
});

describe("Idempotency-Key", () => {
  it("takes 1 to 200 visible ASCII characters, or none", () => {
    expect(idempotencyKeyOf(undefined)).toBeUndefined();
    expect(idempotencyKeyOf("0b6f-…".replace("…", "x"))).toBe("0b6f-x");
    expect(idempotencyKeyOf("k".repeat(200))).toBe("k".repeat(200));
  });

  it.each(["", "with space", "k".repeat(201), "ünïcode"])(
    "rejects %j with 400 naming Idempotency-Key",
    (header) => {
      expect(() => idempotencyKeyOf(header)).toThrow(
        expect.objectContaining({
          fields: [
            {
              path: "Idempotency-Key",
              message: "must be 1 to 200 visible ASCII characters",
            },
          ],
        }),
      );
    },
  );
});
