import type { SideNavigationProps } from "@cloudscape-design/components/side-navigation";
import { describe, expect, it } from "vitest";
import { navigationItems } from "./Navigation";

const hrefs = (items: readonly SideNavigationProps.Item[]): string[] =>
  items.flatMap((i) =>
    "items" in i ? hrefs(i.items) : "href" in i ? [i.href] : [],
  );

describe("navigationItems", () => {
  it("shows the administration pages to administrators", () => {
    expect(hrefs(navigationItems(true, (key) => key))).toEqual([
      "/",
      "/documents",
      "/admin/collections",
      "/admin/assistants",
      "/admin/users",
      "/admin/usage",
      "/admin/audit-log",
    ]);
  });

  it("shows chat alone to everyone else", () => {
    expect(hrefs(navigationItems(false, (key) => key))).toEqual(["/"]);
  });
});
