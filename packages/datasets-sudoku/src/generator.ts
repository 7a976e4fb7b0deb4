import { ConfigError, type Rng } from "@recurse/core";
import type { SudokuShape } from "./shape";
import { SudokuSolver } from "./solver";

/** A generated puzzle with its unique solution and difficulty. */
export interface GeneratedPuzzle {
  /** [N²] givens, 0 blank. */
  question: Uint8Array;
  /** [N²] the unique solution. */
  answer: Uint8Array;
  givens: number;
  /** Solver guesses to solve and prove uniqueness (0: naked/hidden singles suffice). The difficulty measure. */
  guesses: number;
  /** True when the rating search hit its budget, so `guesses` is a lower bound (only with a check budget). */
  guessesCapped: boolean;
  /** Deepest nesting of guesses in that search. */
  depth: number;
  /**
   * True when no given can be removed without losing uniqueness (the removal pass visited every cell and every
   * check finished). Undefined when the pass stopped at the `givens` target or a check ran out of budget;
   * {@link isMinimal} checks such a puzzle.
   */
  minimal?: boolean;
}

export interface GenerateOptions {
  /** Stop removing at this many givens; default: remove until minimal (one pass, no retries). */
  givens?: number;
  /** Tries (new grid, new removal order) to reach `givens` before returning the closest; default 20 with `givens`, else 1. */
  attempts?: number;
  /** Throw instead of returning a puzzle with more givens than asked; default false. */
  strict?: boolean;
  /** Reuse a solver for the shape (saves allocations in loops). */
  solver?: SudokuSolver;
  /**
   * Guesses allowed per uniqueness check while removing givens. A check that runs out keeps its given, so the puzzle
   * stays unique but may not be minimal. Default: unlimited up to 9x9; 2000 above, where proving near-minimal
   * 16x16 puzzles unique can take seconds each.
   */
  checkBudget?: number;
}

/**
 * A uniformly-seeded random complete grid: the solver fills an empty grid, branching on random digits.
 *
 * @example
 * ```ts
 * const grid = randomSolutionGrid(shapeForSize(16), new Rng(1));
 * ```
 */
export function randomSolutionGrid(shape: SudokuShape, rng: Rng, solver = new SudokuSolver(shape)): Uint8Array {
  const empty = new Uint8Array(shape.cells);
  // Large grids can wander into a long dead end; restart with fresh choices rather than wait.
  const budget = shape.size * shape.size * 4;
  for (;;) {
    const res = solver.solve(empty, { limit: 1, rng, maxGuesses: budget });
    if (res.count === 1) return res.solution!;
  }
}

/**
 * Generate a puzzle with a unique solution: draw a random solution grid, then visit the cells in random order and
 * blank each one whose removal keeps the solution unique (checked by asking the solver for a solution with that
 * cell different), until `givens` remain or no cell can go (a minimal puzzle). Deterministic for a given `rng`
 * state.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * const p = generatePuzzle(shapeForSize(6), rng);              // minimal 6x6, about 10 givens
 * const q = generatePuzzle(shapeForSize(9), rng, { givens: 30 });
 * p.guesses; // difficulty
 * ```
 */
export function generatePuzzle(shape: SudokuShape, rng: Rng, options: GenerateOptions = {}): GeneratedPuzzle {
  const target = options.givens ?? 0;
  if (!Number.isInteger(target) || target < 0 || target > shape.cells) {
    throw new ConfigError(`givens ${target} is out of range`, { field: "givens", expected: `an integer from 0 to ${shape.cells}` });
  }
  const attempts = options.attempts ?? (options.givens === undefined ? 1 : 20);
  const solver = options.solver ?? new SudokuSolver(shape);
  const budget = options.checkBudget ?? (shape.size > 9 ? 2000 : Infinity);
  let best: GeneratedPuzzle | undefined;
  for (let attempt = 0; attempt < Math.max(1, attempts); attempt++) {
    const answer = randomSolutionGrid(shape, rng, solver);
    const question = answer.slice();
    const order = rng.permutation(shape.cells);
    let givens = shape.cells;
    let minimal: boolean | undefined = true;
    let capped = false;
    for (let k = 0; k < order.length; k++) {
      if (givens <= target) {
        minimal = undefined;
        break;
      }
      const cell = order[k];
      const digit = question[cell];
      question[cell] = 0;
      const check = solver.solve(question, { limit: 1, forbid: { cell, digit }, maxGuesses: budget });
      if (check.count === 0 && !check.aborted) givens--;
      else {
        question[cell] = digit;
        if (check.aborted) capped = true;
      }
    }
    if (capped && minimal) minimal = undefined;
    const rated = solver.solve(question, { limit: 2, maxGuesses: budget * 50 });
    const result: GeneratedPuzzle = { question, answer, givens, guesses: rated.guesses, guessesCapped: rated.aborted, depth: rated.depth, minimal };
    if (!best || result.givens < best.givens) best = result;
    if (best.givens <= target) return best;
  }
  if (options.strict) {
    throw new ConfigError(`could not reach ${target} givens for ${shape.label} in ${attempts} attempts (best ${best!.givens})`, {
      field: "givens",
      expected: `a larger givens count, or more attempts`,
    });
  }
  return best!;
}

/**
 * True when every given is needed: removing any one of them admits a second solution.
 *
 * @example
 * ```ts
 * isMinimal(p.question, shape); // true for generatePuzzle(shape, rng) without a givens target
 * ```
 */
export function isMinimal(question: Uint8Array, shape: SudokuShape, solver = new SudokuSolver(shape)): boolean {
  const q = question.slice();
  for (let cell = 0; cell < shape.cells; cell++) {
    const digit = q[cell];
    if (digit === 0) continue;
    q[cell] = 0;
    const stillUnique = solver.solve(q, { limit: 1, forbid: { cell, digit } }).count === 0;
    q[cell] = digit;
    if (stillUnique) return false;
  }
  return true;
}
