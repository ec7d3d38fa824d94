import { cleanup, fireEvent, render } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { linkCitations, Markdown } from "./Markdown";

afterEach(cleanup);

describe("Markdown", () => {
  it("never renders HTML or script from the text", () => {
    const { container } = render(
      <Markdown
        text={
          'Hello <script>window.pwned = 1</script><img src=x onerror="window.pwned=2"> <b>bold</b> ![x](javascript:alert(1)) [click](javascript:alert(1))'
        }
      />,
    );
    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("b")).toBeNull();
    for (const a of container.querySelectorAll("a"))
      expect(a.getAttribute("href") ?? "").not.toMatch(/javascript:/i);
    expect(container.querySelector("[onerror]")).toBeNull();
    // Whether anything runs is for a browser to say (jsdom runs no script): packages/e2e's upload
    // test renders such a document in Chromium and checks.
  });

  it("renders markdown structure: lists, emphasis and code", () => {
    const { container } = render(
      <Markdown text={"- one\n- **two**\n\n`code`"} />,
    );
    expect(container.querySelectorAll("li")).toHaveLength(2);
    expect(container.querySelector("strong")?.textContent).toBe("two");
    expect(container.querySelector("code")?.textContent).toBe("code");
  });

  it("turns [n] into citation links that report the number", () => {
    const onCite = vi.fn();
    const { getByLabelText } = render(
      <Markdown
        text="Taxes fell [2]. See [the law](https://example.com)."
        onCite={onCite}
      />,
    );
    fireEvent.click(getByLabelText("Source 2"));
    expect(onCite).toHaveBeenCalledWith(2);
  });

  it("keeps links to this site and to cited sources, and shows any other link as plain text", () => {
    const { container } = render(
      <Markdown
        text={
          "See [the law](https://laws.example.gov/act), [our help](/help), [free money](https://phish.example.net/login) and <https://phish.example.net/x>."
        }
        citedHrefs={["https://laws.example.gov/act"]}
      />,
    );
    const hrefs = [...container.querySelectorAll("a")].map((a) =>
      a.getAttribute("href"),
    );
    expect(hrefs).toEqual(["https://laws.example.gov/act", "/help"]);
    expect(container.textContent).toContain(
      "free money (https://phish.example.net/login)",
    );
  });

  it("leaves markdown links alone when linking citations", () => {
    expect(linkCitations("a [1] b [x](y) [2](z)")).toBe(
      "a [\\[1\\]](#source-1) b [x](y) [2](z)",
    );
  });
});
