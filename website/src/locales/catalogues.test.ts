// @vitest-environment node
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LANGUAGES } from "../i18n";

type Catalogue = { [key: string]: string | Catalogue };

const load = (code: string): Catalogue =>
  JSON.parse(
    readFileSync(join(__dirname, `${code}.json`), "utf8"),
  ) as Catalogue;

/** Every message by its dotted key. */
function flatten(c: Catalogue, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(c))
    if (typeof v === "string") out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  return out;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** The keys a language must have: English's, with each plural in that language's own forms (Intl.PluralRules). */
function expectedKeys(english: Map<string, string>, code: string): string[] {
  const forms = new Intl.PluralRules(code).resolvedOptions().pluralCategories;
  const keys = new Set<string>();
  for (const key of english.keys())
    if (PLURAL.test(key))
      for (const form of forms) keys.add(key.replace(PLURAL, `_${form}`));
    else keys.add(key);
  return [...keys].sort();
}

/** What a message must keep in every language: its `{{placeholders}}` and the tags `<Trans>` fills (`<b>`). */
const markers = (message: string) =>
  [...message.matchAll(/\{\{\s*(\w+)[^}]*\}\}|<\/?(b|code|strong|em)>/g)]
    .map((m) => m[1] ?? `<${m[2]}>`)
    .sort();

/** The catalogue keys the website's code names: t("…"), i18nKey="…", and keys kept in tables. */
function keysInCode(dir: string, namespaces: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (const entry of readdirSync(dir, {
    withFileTypes: true,
    recursive: true,
  })) {
    if (!/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name))
      continue;
    const source = readFileSync(join(entry.parentPath, entry.name), "utf8");
    // A template's fixed start (`usagePage.by.${id}`) is kept with its final dot: a prefix.
    for (const m of source.matchAll(
      /["`]([a-zA-Z]+)\.([a-zA-Z0-9_.]+)(["`]|\$\{)/g,
    ))
      if (namespaces.includes(m[1])) found.add(`${m[1]}.${m[2]}`);
  }
  return found;
}

const english = flatten(load("en"));

describe("the message catalogues", () => {
  it("ships a catalogue for each of the seven languages, and nothing else", () => {
    expect(
      readdirSync(__dirname)
        .filter((f) => f.endsWith(".json"))
        .map((f) => f.replace(/\.json$/, ""))
        .sort(),
    ).toEqual(LANGUAGES.map((l) => l.code).sort());
  });

  it.each(LANGUAGES.filter((l) => l.code !== "en").map((l) => l.code))(
    "%s has every English key, in its own plural forms, and no other",
    (code) => {
      const messages = flatten(load(code));
      expect([...messages.keys()].sort()).toEqual(expectedKeys(english, code));
    },
  );

  it.each(LANGUAGES.map((l) => l.code))(
    "%s keeps each message's placeholders and tags, and leaves none empty",
    (code) => {
      const broken = [...flatten(load(code))]
        .filter(([key, message]) => {
          const source =
            english.get(key) ?? english.get(key.replace(PLURAL, "_other"));
          return (
            !message.trim() ||
            !source ||
            markers(message).join() !== markers(source).join()
          );
        })
        .map(([key, message]) => `${key}: ${message}`);
      expect(broken).toEqual([]);
    },
  );

  it("has an English message for every key the code uses (plurals by their _other form)", () => {
    const namespaces = [
      ...new Set([...english.keys()].map((k) => k.split(".")[0])),
    ];
    const missing = [...keysInCode(join(__dirname, ".."), namespaces)].filter(
      (key) =>
        !english.has(key) &&
        !english.has(`${key}_other`) &&
        // a prefix completed at run time, such as `usagePage.by.${id}`
        !(
          key.endsWith(".") &&
          [...english.keys()].some((k) => k.startsWith(key))
        ),
    );
    expect(missing).toEqual([]);
  });

  it("has no English message the code does not use", () => {
    const namespaces = [
      ...new Set([...english.keys()].map((k) => k.split(".")[0])),
    ];
    const used = [...keysInCode(join(__dirname, ".."), namespaces)];
    const unused = [...english.keys()].filter(
      (key) =>
        !used.some(
          (u) =>
            u === key ||
            u === key.replace(PLURAL, "") ||
            (u.endsWith(".") && key.startsWith(u)),
        ),
    );
    expect(unused).toEqual([]);
  });
});
