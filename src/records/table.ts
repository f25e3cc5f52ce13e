/**
 * Plain-text tables for terminal output: columns padded to their widest cell, colour applied after
 * padding so escape codes never skew the alignment.
 */

/** A cell: its text and an optional colour function. */
export type Cell = string | { text: string; paint: (s: string) => string };

/**
 * Rows of cells as aligned lines; the first row is the header.
 *
 * @example
 * ```ts
 * table([["ID", "STATUS"], ["r1", { text: "failed", paint: pc.red }]]);
 * ```
 */
export function table(rows: readonly (readonly Cell[])[]): string {
  const text = (c: Cell) => (typeof c === "string" ? c : c.text);
  const widths: number[] = [];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, text(c).length)));
  return rows
    .map((row) =>
      row
        .map((c, i) => {
          const padded = i === row.length - 1 ? text(c) : text(c).padEnd(widths[i]!);
          return typeof c === "string" ? padded : c.paint(padded);
        })
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
