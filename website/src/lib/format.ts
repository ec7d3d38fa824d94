import { useTranslation } from "react-i18next";

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

const made = new Map<string, ReturnType<typeof make>>();

/** Numbers, sizes, dates and relative times in a language, by `Intl` (made once per language). */
export function formatters(language: string) {
  let format = made.get(language);
  if (!format) made.set(language, (format = make(language)));
  return format;
}

function make(language: string) {
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
  // Model prices are in US dollars, to the hundredth of a cent.
  const usd = new Intl.NumberFormat(language, {
    style: "currency",
    currency: "USD",
    maximumFractionDigits: 4,
  });
  // Compact notation groups by thousands in some languages only (German starts at millions), so
  // the unit is chosen here: 212 kB, 1.4 MB.
  const sizes = (["byte", "kilobyte", "megabyte", "gigabyte"] as const).map(
    (unit) =>
      new Intl.NumberFormat(language, {
        style: "unit",
        unit,
        unitDisplay: "short",
        maximumFractionDigits: unit === "byte" ? 0 : 1,
      }),
  );
  const bytes = (n: number) => {
    const power = Math.min(
      sizes.length - 1,
      Math.max(0, Math.floor(Math.log(n) / Math.log(1024))),
    );
    return sizes[power].format(n / 1024 ** power);
  };
  return {
    number: (n: number) => number.format(n),
    usd: (n: number) => usd.format(n),
    /** A retrieval score, to three decimals. */
    score: (n: number) => score.format(n),
    bytes,
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
  return formatters(useTranslation().i18n.language);
}
