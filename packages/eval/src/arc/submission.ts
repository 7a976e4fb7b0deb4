import type { Grid } from "./grid";
import type { PuzzleVotes } from "./vote";

/** ARC Prize submission: puzzle name → one entry per test input, in test order. */
export type ArcSubmission = Record<string, Record<string, Grid>[]>;

/**
 * Build `submission.json`: the top `attempts` candidates of every test input as `attempt_1`, `attempt_2`, ...,
 * padded with the first when fewer were predicted (as the TRM evaluator does). A test input that nothing predicted
 * gets `[[0]]` attempts, where the reference drops the entry, so later test inputs keep their positions.
 *
 * @example
 * ```ts
 * const submission = arcSubmission(voteArc(output, options).puzzles);
 * // { "00576224": [{ attempt_1: [[3, 2], ...], attempt_2: [[...]] }] }
 * ```
 */
export function arcSubmission(puzzles: PuzzleVotes[], attempts = 2): ArcSubmission {
  const out: ArcSubmission = {};
  for (const p of puzzles) {
    out[p.puzzle] = p.tests.map((t) => {
      const grids = t.candidates.slice(0, attempts).map((c) => c.grid);
      if (grids.length === 0) grids.push([[0]]);
      while (grids.length < attempts) grids.push(grids[0]);
      return Object.fromEntries(grids.map((g, k) => [`attempt_${k + 1}`, g]));
    });
  }
  return out;
}
