import type { PuzzleVotes } from "./vote";

/** The pass@k of each k under both scoring rules, and what they were averaged over. */
export interface PassAtK {
  /** TRM's rule: each puzzle scores (right test inputs) / (test inputs), averaged over puzzles. */
  fractional: Record<number, number | null>;
  /** HRM's rule: a puzzle scores 1 only when every one of its test inputs is right. */
  allTests: Record<number, number | null>;
  /** Puzzles scored: those whose every test input has a known label. */
  puzzles: number;
  /** Test inputs of the scored puzzles. */
  testInputs: number;
  /** Puzzles left out because a test input's label is unknown. */
  unscoredPuzzles: number;
}

/** The reference's k values (TRM's `pass_Ks`; HRM's notebook uses 1, 2, 10, 100, 1000). */
export const DEFAULT_PASS_KS = [1, 2, 5, 10, 100, 1000] as const;

/**
 * Score ranked votes: a test input passes at k when its label is among its top k candidates.
 *
 * @example
 * ```ts
 * const s = passAtK(voteArc(output, options).puzzles, [1, 2]);
 * s.fractional[2]; // TRM's pass@2, the number in the paper's tables
 * s.allTests[2];   // HRM's pass@2
 * ```
 */
export function passAtK(puzzles: PuzzleVotes[], ks: readonly number[] = DEFAULT_PASS_KS): PassAtK {
  const fractional: Record<number, number> = {};
  const allTests: Record<number, number> = {};
  for (const k of ks) fractional[k] = allTests[k] = 0;
  let scored = 0;
  let testInputs = 0;
  let unscored = 0;
  for (const p of puzzles) {
    if (p.tests.length === 0 || p.tests.some((t) => t.labelHash === null)) {
      unscored++;
      continue;
    }
    scored++;
    testInputs += p.tests.length;
    for (const k of ks) {
      let right = 0;
      for (const t of p.tests) if (t.candidates.slice(0, k).some((c) => c.hash === t.labelHash)) right++;
      fractional[k] += right / p.tests.length;
      if (right === p.tests.length) allTests[k] += 1;
    }
  }
  const mean = (r: Record<number, number>) =>
    Object.fromEntries(ks.map((k) => [k, scored ? r[k] / scored : null])) as Record<number, number | null>;
  return { fractional: mean(fractional), allTests: mean(allTests), puzzles: scored, testInputs, unscoredPuzzles: unscored };
}
