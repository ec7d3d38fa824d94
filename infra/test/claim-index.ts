import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

/**
 * The claim index: every row of a docs table with a "proved by" column names the tests that prove
 * it, as `` `path/to/file.test.ts` › "Describe › test name" `` (several names may follow one file,
 * each in double quotes). The names are read from the test files' syntax trees — nested
 * `describe`/`it`/`test` calls, `.each`, `.skipIf(…)` and template titles included — so a renamed or
 * deleted test breaks the reference.
 */

/** One claim: a table row of a doc, with the references in its "proved by" cell. */
export interface Claim {
  readonly doc: string;
  readonly table: string;
  readonly row: string;
  readonly references: readonly { file: string; name: string }[];
  /** What could not be parsed: a test file with no test name after it. */
  readonly malformed: readonly string[];
}

const PROVED_BY = "proved by";
const FILE = /`([^`\s]+\.test\.tsx?)`/g;

/** The rows of every table in `markdown` whose header has a "proved by" column. */
export function claimsOf(doc: string, markdown: string): Claim[] {
  const claims: Claim[] = [];
  const lines = markdown.split("\n");
  let heading = "";
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith("#")) heading = lines[i].replace(/^#+\s*/, "");
    if (!isRow(lines[i]) || !/^\|[\s|:-]+\|$/.test(lines[i + 1] ?? ""))
      continue;
    const column = cells(lines[i]).findIndex(
      (c) => c.toLowerCase() === PROVED_BY,
    );
    i += 2;
    for (; i < lines.length && isRow(lines[i]); i++) {
      if (column < 0) continue;
      const row = cells(lines[i]);
      const parsed = parseCell(row[column] ?? "");
      // A test named in another column would go unchecked: it belongs in "proved by".
      const misplaced = row
        .filter(
          (cell, n) => n !== column && /`[^`\s]+\.test\.tsx?` ›/.test(cell),
        )
        .map(() => "a test named outside the proved-by column");
      claims.push({
        doc,
        table: heading,
        row: row[0],
        references: parsed.references,
        malformed: [...parsed.malformed, ...misplaced],
      });
    }
  }
  return claims;
}

/** Tables of `markdown` (by the heading above them) that have a "proved by" column. */
export function tablesWithProofs(markdown: string): string[] {
  return [...new Set(claimsOf("", markdown).map((c) => c.table))];
}

const isRow = (line: string) => line.startsWith("|") && line.endsWith("|");
// Cells split on unescaped pipes; a pipe inside backticks does not occur in our docs.
const cells = (line: string) =>
  line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());

function parseCell(cell: string): Pick<Claim, "references" | "malformed"> {
  const references: { file: string; name: string }[] = [];
  const malformed: string[] = [];
  const files = [...cell.matchAll(FILE)];
  files.forEach((match, n) => {
    const end = files[n + 1]?.index ?? cell.length;
    const tail = cell.slice(match.index! + match[0].length, end);
    const names = [...tail.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    if (!/^\s*›/.test(tail) || names.length === 0) malformed.push(match[1]);
    for (const name of names) references.push({ file: match[1], name });
  });
  return { references, malformed };
}

/** A test's full name pattern: its describes' titles and its own, outermost first. */
type TestPath = readonly RegExp[];

const CALLERS = new Set(["describe", "it", "test"]);

/** The full names of every test (`it`/`test`) in a file, read from its syntax tree. */
export function testsIn(file: string): TestPath[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, "utf8"),
    ts.ScriptTarget.Latest,
    true,
    file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const tests: TestPath[] = [];
  const visit = (node: ts.Node, outer: readonly RegExp[]): void => {
    if (ts.isCallExpression(node)) {
      const caller = callerOf(node.expression);
      const title = node.arguments[0] && titlePattern(node.arguments[0]);
      if (caller && title) {
        const inner = [...outer, title];
        if (caller !== "describe") tests.push(inner);
        node.arguments.slice(1).forEach((a) => visit(a, inner));
        return;
      }
    }
    ts.forEachChild(node, (child) => visit(child, outer));
  };
  visit(source, []);
  return tests;
}

/** `describe`, `it` or `test` when `callee` is one of them, or a chain such as `it.each(rows)`. */
function callerOf(callee: ts.Expression): string | undefined {
  let e: ts.Expression = callee;
  for (;;) {
    if (ts.isIdentifier(e)) return CALLERS.has(e.text) ? e.text : undefined;
    if (ts.isPropertyAccessExpression(e)) e = e.expression;
    else if (ts.isCallExpression(e)) e = e.expression;
    else return undefined;
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A title as a pattern: `${…}` substitutions and `.each`'s `%s`/`$name` placeholders match anything. */
function titlePattern(arg: ts.Node): RegExp | undefined {
  let text: string;
  if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))
    text = escape(arg.text);
  else if (ts.isTemplateExpression(arg))
    text =
      escape(arg.head.text) +
      arg.templateSpans.map((s) => ".+" + escape(s.literal.text)).join("");
  else return undefined;
  return new RegExp("^" + text.replace(/%[sdifjo#%]|\\\$[\w.]+/g, ".+") + "$");
}

/** Whether `name` ("Describe › … › test") is the full name of a test in `tests`. */
export function hasTest(tests: readonly TestPath[], name: string): boolean {
  const parts = name.split(" › ");
  return tests.some(
    (t) => t.length === parts.length && t.every((p, i) => p.test(parts[i])),
  );
}

/** Every problem with the claims: a row without a reference, a missing file, a missing test. */
export function problemsOf(claims: readonly Claim[], root: string): string[] {
  const problems: string[] = [];
  const cache = new Map<string, TestPath[]>();
  for (const claim of claims) {
    const where = `${claim.doc} › ${claim.table} › ${claim.row}`;
    if (claim.references.length === 0) problems.push(`${where}: names no test`);
    for (const what of claim.malformed)
      problems.push(
        /\.test\.tsx?$/.test(what)
          ? `${where}: \`${what}\` is not followed by › "test name"`
          : `${where}: ${what}`,
      );
    for (const { file, name } of claim.references) {
      const full = path.join(root, file);
      if (!existsSync(full)) {
        problems.push(`${where}: ${file} does not exist`);
        continue;
      }
      if (!cache.has(full)) cache.set(full, testsIn(full));
      if (!hasTest(cache.get(full)!, name))
        problems.push(`${where}: ${file} has no test "${name}"`);
    }
  }
  return problems;
}
