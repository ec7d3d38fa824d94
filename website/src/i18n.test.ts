import { describe, expect, it } from "vitest";
import { formatters } from "./lib/format";

describe("formatters", () => {
  const at = new Date(Date.UTC(2026, 10, 30, 14, 5));
  it("formats numbers, dates and relative times in the page's language", () => {
    expect(formatters("en").number(1234567.5)).toBe("1,234,567.5");
    expect(formatters("de").number(1234567.5)).toBe("1.234.567,5");
    expect(formatters("ja").dateTime(at)).toMatch(/2026\/11\/30/);
    expect(formatters("de").dateTime(at)).toMatch(/30\.11\.2026/);
    expect(
      formatters("en").relative(
        new Date(at.getTime() - 3 * 3_600_000),
        at.getTime(),
      ),
    ).toBe("3 hours ago");
    expect(
      formatters("fr").relative(
        new Date(at.getTime() - 86_400_000),
        at.getTime(),
      ),
    ).toBe("hier");
    expect(formatters("es").list(["a", "b", "c"])).toBe("a, b y c");
    expect(formatters("de").bytes(217_084)).toBe("212 kB");
    expect(formatters("en").bytes(1_468_006)).toBe("1.4 MB");
  });
});
