import { useMemo } from "react";
import { useTranslation } from "react-i18next";

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** Numbers, sizes, dates and relative times in a language, by `Intl`. */
export function formatters(language: string) {
  const number = new Intl.NumberFormat(language);
  const score = new Intl.NumberFormat(language, {
    minimumFractionDigits: 3,
    maximumFractionDigits: 3,
  });
  const dateTime = new Intl.DateTimeFormat(language, {
    dateStyle: "medium",
    timeStyle: "short",
  });
  const time = new Intl.DateTimeFormat(language, { timeStyle: "short" });
  const relative = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
  const list = new Intl.ListFormat(language, { type: "unit" });
  const bytes = new Intl.NumberFormat(language, {
    notation: "compact",
    style: "unit",
    unit: "byte",
    unitDisplay: "narrow",
  });
  return {
    number: (n: number) => number.format(n),
    /** A retrieval score, to three decimals. */
    score: (n: number) => score.format(n),
    bytes: (n: number) => bytes.format(n),
    dateTime: (d: Date) => dateTime.format(d),
    time: (d: Date) => time.format(d),
    /** "a, b, c" with the language's separators. */
    list: (items: readonly string[]) => list.format(items),
    /** "3 hours ago", "yesterday", "in 2 days": the largest unit that fits. */
    relative(d: Date, now = Date.now()) {
      const ms = d.getTime() - now;
      for (const [unit, size] of UNITS)
        if (Math.abs(ms) >= size)
          return relative.format(Math.round(ms / size), unit);
      return relative.format(0, "minute");
    },
  };
}

/** The formatters of the language the page speaks. */
export function useFormat() {
  const { i18n } = useTranslation();
  return useMemo(() => formatters(i18n.language), [i18n.language]);
}
