/** The p-th percentile (nearest rank) of `values`. */
export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
};

/** `n` rounded to `digits` decimals, for reports. */
export const round = (n: number, digits = 2): number =>
  Math.round(n * 10 ** digits) / 10 ** digits;
