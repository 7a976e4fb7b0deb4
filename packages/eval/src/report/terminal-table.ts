import { formatMetric, selectColumns } from "./columns";
import type { Results } from "./results-schema";

/**
 * Align rows of cells into columns: text left, figures right, two spaces apart.
 *
 * @example
 * ```ts
 * alignColumns([["model", "exact"], ["trm", "0.87"]], (c) => c > 0);
 * ```
 */
export function alignColumns(rows: string[][], rightAligned: (column: number) => boolean): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? "")].length)));
  return rows
    .map((r) =>
      r
        .map((v, c) => (rightAligned(c) ? v.padStart(widths[c]) : v.padEnd(widths[c])))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/**
 * A plain-text comparison table for a terminal (no colours, no box drawing, so it survives logs and pipes).
 *
 * @example
 * ```ts
 * console.log(resultsTable(results));
 * // model      dataset  examples  exact_accuracy   token_accuracy
 * // trm-small  sudoku       1000  0.8712 ± 0.0106          0.9712
 * ```
 */
export function resultsTable(results: Results, options: { columns?: string[] | "all" } = {}): string {
  const columns = selectColumns(results, options.columns);
  const rows = [["model", "dataset", "examples", ...columns]];
  for (const e of results.entries) rows.push([e.model, e.dataset, String(e.examples), ...columns.map((c) => formatMetric(e.metrics, c))]);
  return alignColumns(rows, (c) => c >= 2);
}
