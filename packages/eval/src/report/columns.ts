import type { Results } from "./results-schema";

/** Metrics shown by default, in this order, when any entry has them. */
export const HEADLINE_METRICS = [
  "exact_accuracy",
  "token_accuracy",
  "exact_accuracy_at_halt",
  "mean_steps",
  "mean_first_halt_step",
  "q_halt_accuracy",
  "best_step",
] as const;

const passOrder = (key: string): [number, number] => {
  const m = /^pass@(\d+)(_all)?$/.exec(key);
  return m ? [m[2] ? 1 : 0, Number(m[1])] : [2, 0];
};

/**
 * The metric columns of a comparison table: the given list, every metric (`"all"`), or by default the headline
 * metrics and every pass@k that some entry has (TRM rule first, then HRM's `_all`, by k).
 *
 * @example
 * ```ts
 * selectColumns(results); // ["exact_accuracy", "token_accuracy", "pass@1", "pass@2", ..., "mean_steps"]
 * ```
 */
export function selectColumns(results: Results, columns?: string[] | "all"): string[] {
  const present = new Set(results.entries.flatMap((e) => Object.keys(e.metrics)));
  if (Array.isArray(columns)) return columns;
  if (columns === "all") return [...present].filter((k) => !k.endsWith("_stderr")).sort();
  const pass = [...present]
    .filter((k) => k.startsWith("pass@"))
    .sort((a, b) => {
      const [ra, ka] = passOrder(a);
      const [rb, kb] = passOrder(b);
      return ra - rb || ka - kb;
    });
  const head = HEADLINE_METRICS.filter((k) => present.has(k));
  return [head[0], head[1], ...pass, ...head.slice(2)].filter((k): k is string => Boolean(k));
}

/**
 * Metrics that are fractions in [0, 1], shown with four decimals even when they are exactly 0 or 1.
 *
 * @example
 * ```ts
 * isRate("pass@2"); // true
 * isRate("mean_steps"); // false
 * ```
 */
export function isRate(key: string): boolean {
  return /accuracy|^pass@|precision|recall|ece|never_halted/.test(key) && !key.endsWith("_stderr");
}

/**
 * A metric value for a table: rates and fractional values to four decimals, counts as integers, missing as `-`.
 *
 * @example
 * ```ts
 * formatValue(1, true); // "1.0000"
 * formatValue(16);      // "16"
 * ```
 */
export function formatValue(value: number | null | undefined, rate = false): string {
  if (value === null || value === undefined) return "-";
  return Number.isInteger(value) && !rate ? String(value) : value.toFixed(4);
}

/**
 * A metric with its standard error when the entry has one (`0.8712 ± 0.0106`).
 *
 * @example
 * ```ts
 * formatMetric({ exact_accuracy: 0.8712, exact_accuracy_stderr: 0.0106 }, "exact_accuracy");
 * ```
 */
export function formatMetric(metrics: Record<string, number | null>, key: string): string {
  const v = formatValue(metrics[key], isRate(key));
  const se = metrics[`${key}_stderr`];
  return se === null || se === undefined || v === "-" ? v : `${v} ± ${se.toFixed(4)}`;
}
