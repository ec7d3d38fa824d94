/** One comparison in a chart: Sextant's figure and its baseline's, in the same unit. */
export interface Comparison {
  readonly label: string;
  readonly unit: string;
  readonly sextant: number;
  readonly baseline: { readonly label: string; readonly value: number };
}

const escape = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A horizontal bar chart as SVG text: per row, Sextant's bar and its baseline's, scaled to the
 * larger of the two (units differ between rows), each labelled with its value.
 */
export function comparisonChart(
  title: string,
  rows: readonly Comparison[],
): string {
  const width = 860;
  const labelWidth = 250;
  const barMax = width - labelWidth - 220;
  const rowHeight = 58;
  const top = 40;
  const height = top + rows.length * rowHeight + 30;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="12" y="24" font-size="16" font-weight="bold">${escape(title)}</text>`,
  ];
  rows.forEach((row, i) => {
    const y = top + i * rowHeight;
    const max = Math.max(row.sextant, row.baseline.value) || 1;
    const bar = (value: number, dy: number, fill: string, name: string) => {
      const w = Math.max(1, (value / max) * barMax);
      parts.push(
        `<rect x="${labelWidth}" y="${y + dy}" width="${w.toFixed(1)}" height="18" fill="${fill}"/>`,
        `<text x="${labelWidth + w + 6}" y="${y + dy + 14}">${escape(`${value} ${row.unit} · ${name}`)}</text>`,
      );
    };
    parts.push(`<text x="12" y="${y + 24}">${escape(row.label)}</text>`);
    bar(row.sextant, 2, "#0972d3", "Sextant");
    bar(row.baseline.value, 24, "#8d99a8", row.baseline.label);
  });
  parts.push(
    `<text x="12" y="${height - 10}" fill="#5f6b7a" font-size="11">Shorter is better for times and sizes; longer is better for hit rate and recall. Figures: docs/benchmarks.json.</text>`,
    "</svg>",
  );
  return parts.join("\n");
}
