import { describe, expect, it } from "vitest";
import { recencyOf } from "./SessionList";

describe("recencyOf", () => {
  const now = new Date(2026, 11, 1, 9, 30);
  const daysAgo = (days: number, hour = 12) =>
    new Date(2026, 11, 1 - days, hour);
  it("groups by calendar days of the viewer's clock, not by 24-hour spans", () => {
    expect(recencyOf(new Date(2026, 11, 1, 0, 5), now)).toBe("today");
    expect(recencyOf(daysAgo(1, 23), now)).toBe("yesterday");
    expect(recencyOf(daysAgo(6), now)).toBe("week");
    expect(recencyOf(daysAgo(7), now)).toBe("month");
    expect(recencyOf(daysAgo(29), now)).toBe("month");
    expect(recencyOf(daysAgo(30), now)).toBe("older");
    // A clock a little ahead of the server's: still today.
    expect(recencyOf(new Date(2026, 11, 1, 9, 31), now)).toBe("today");
  });
});
