import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { claimsOf, problemsOf, tablesWithProofs } from "./claim-index";

const ROOT = path.join(__dirname, "..", "..");
const doc = (name: string) =>
  readFileSync(path.join(ROOT, "docs", name), "utf8");

/** The tables whose every row is a promise, by the heading above them. */
const PROMISE_TABLES = {
  "security.md": ["Security"],
  "reliability.md": [
    "Figures (2026-11-25, 2 cores, `npm run test:soak`)",
    "Hostile input",
    "Authentication and authorization",
  ],
};

describe("the claim index: every promise in docs/security.md and docs/reliability.md names the test that proves it", () => {
  it.each(Object.entries(PROMISE_TABLES))(
    "%s: each row of its promise tables names tests that exist",
    (name, tables) => {
      const markdown = doc(name);
      expect(tablesWithProofs(markdown)).toEqual(
        expect.arrayContaining(tables),
      );
      const claims = claimsOf(`docs/${name}`, markdown);
      expect(claims.length).toBeGreaterThan(5);
      expect(problemsOf(claims, ROOT)).toEqual([]);
    },
  );

  it("fails when a named test is renamed, its file moved, or a row names none", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "claims-"));
    writeFileSync(
      path.join(dir, "a.test.ts"),
      `describe("outer", () => {
        describe(\`nested \${1}\`, () => {
          it.each([1])("case %s", () => {});
          it("kept", () => {});
        });
      });`,
    );
    const markdown = [
      "## Promises",
      "",
      "| promise | proved by |",
      "| --- | --- |",
      '| kept | `a.test.ts` › "outer › nested 1 › kept", "outer › nested 1 › case 7" |',
      '| renamed | `a.test.ts` › "outer › nested 1 › was here" |',
      '| outer describe missing | `a.test.ts` › "nested 1 › kept" |',
      '| moved | `b.test.ts` › "outer › nested 1 › kept" |',
      "| none | by inspection |",
      "| file alone | `a.test.ts` |",
    ].join("\n");
    expect(problemsOf(claimsOf("x.md", markdown), dir)).toEqual([
      'x.md › Promises › renamed: a.test.ts has no test "outer › nested 1 › was here"',
      'x.md › Promises › outer describe missing: a.test.ts has no test "nested 1 › kept"',
      "x.md › Promises › moved: b.test.ts does not exist",
      "x.md › Promises › none: names no test",
      "x.md › Promises › file alone: names no test",
      'x.md › Promises › file alone: `a.test.ts` is not followed by › "test name"',
    ]);
    const wrongColumn = [
      "| promise | proved by | how to change |",
      "| --- | --- | --- |",
      '| moved aside | `a.test.ts` › "outer › nested 1 › kept" | props; `a.test.ts` › "outer › nested 1 › kept" |',
    ].join("\n");
    expect(problemsOf(claimsOf("y.md", wrongColumn), dir)).toEqual([
      "y.md ›  › moved aside: a test named outside the proved-by column",
    ]);
  });
});
