import { describe, expect, it } from "vitest";
import { navigationItems } from "./Navigation";

describe("navigationItems", () => {
  it("shows Administration to administrators", () => {
    expect(
      navigationItems(true).map((i) => ("text" in i ? i.text : "")),
    ).toEqual(["Chat", "Administration"]);
  });

  it("hides Administration from everyone else", () => {
    expect(
      navigationItems(false).map((i) => ("text" in i ? i.text : "")),
    ).toEqual(["Chat"]);
  });
});
