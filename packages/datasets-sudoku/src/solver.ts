import type { Rng } from "@recurse/core";
import type { SudokuShape } from "./shape";

/** Outcome of a search. */
export interface SolveResult {
  /** Solutions found, capped at the `limit` asked for (2 by default: 0 none, 1 unique, 2 "two or more"). */
  count: number;
  /** The first solution found (values 1..N), when count ≥ 1. */
  solution?: Uint8Array;
  /**
   * Trial assignments the search made (0 = solved by naked and hidden singles alone). With limit 2 the search
   * runs until uniqueness is proven, so this is a difficulty measure for the whole puzzle.
   */
  guesses: number;
  /** Deepest level of nested guesses. */
  depth: number;
  /** True when `maxGuesses` stopped the search before it finished; `count` is then a lower bound. */
  aborted: boolean;
}

export interface SolveOptions {
  /** Stop after this many solutions (default 2, enough to tell unique from ambiguous). */
  limit?: number;
  /** Try branch digits in a random order (used to draw random complete grids); default: ascending. */
  rng?: Rng;
  /** Stop after this many guesses and report `aborted` (default unlimited): bounds time on pathological inputs. */
  maxGuesses?: number;
  /**
   * Also forbid one digit in one cell (0-based cell, digit 1..N). The generator asks "is there a solution with
   * this cell different from its value?", which is cheaper than counting solutions of the reduced puzzle.
   */
  forbid?: { cell: number; digit: number };
}

const POPCOUNT = (() => {
  const t = new Uint8Array(1 << 16);
  for (let i = 1; i < t.length; i++) t[i] = t[i >> 1] + (i & 1);
  return t;
})();

/** Index of the single set bit of a power of two. */
function bitIndex(bit: number): number {
  return 31 - Math.clz32(bit);
}

/**
 * Exact Sudoku solver for any box shape: candidate bit masks, constraint propagation by naked singles (a cell with
 * one candidate) and hidden singles (a digit with one place in a unit), then depth-first search branching on the
 * cell with the fewest candidates (MRV). It counts solutions up to a limit, so it both solves and proves uniqueness.
 * One solver per shape reuses its buffers, so it is not reentrant.
 *
 * @example
 * ```ts
 * const solver = new SudokuSolver(shapeForSize(9));
 * const { count, solution, guesses } = solver.solve(grid);   // count 1: unique
 * ```
 */
export class SudokuSolver {
  readonly shape: SudokuShape;
  private readonly levels: Int32Array[] = [];
  private readonly queue: Int32Array;
  private count = 0;
  private limit = 2;
  private guesses = 0;
  private maxGuesses = Infinity;
  private maxDepth = 0;
  private solution: Uint8Array | undefined;
  private rng: Rng | undefined;
  private readonly orders: Int32Array[] = [];
  private aborted = false;

  constructor(shape: SudokuShape) {
    this.shape = shape;
    this.queue = new Int32Array(shape.cells * 2);
  }

  private level(depth: number): Int32Array {
    while (this.levels.length <= depth) {
      this.levels.push(new Int32Array(this.shape.cells));
      this.orders.push(new Int32Array(this.shape.size));
    }
    return this.levels[depth];
  }

  /**
   * Solve `grid` (values 0 blank, 1..N). Contradictory givens give count 0.
   */
  solve(grid: ArrayLike<number>, options: SolveOptions = {}): SolveResult {
    const { cells, allDigits } = this.shape;
    this.count = 0;
    this.limit = options.limit ?? 2;
    this.guesses = 0;
    this.maxDepth = 0;
    this.maxGuesses = options.maxGuesses ?? Infinity;
    this.solution = undefined;
    this.aborted = false;
    this.rng = options.rng;
    const cand = this.level(0);
    cand.fill(allDigits);
    let ok = true;
    let tail = 0;
    for (let i = 0; i < cells && ok; i++) {
      const d = grid[i];
      if (d === 0) continue;
      const bit = 1 << (d - 1);
      if ((cand[i] & bit) === 0) ok = false;
      else if (cand[i] !== bit) {
        cand[i] = bit;
        this.queue[tail++] = i;
      }
    }
    if (ok && options.forbid) {
      const { cell, digit } = options.forbid;
      const m = cand[cell] & ~(1 << (digit - 1));
      if (m === 0) ok = false;
      else if (m !== cand[cell]) {
        cand[cell] = m;
        if ((m & (m - 1)) === 0) this.queue[tail++] = cell;
      }
    }
    if (ok && this.propagate(cand, tail)) this.search(0);
    return { count: this.count, solution: this.solution, guesses: this.guesses, depth: this.maxDepth, aborted: this.aborted };
  }

  /** Number of solutions, capped at `limit` (default 2). */
  countSolutions(grid: ArrayLike<number>, limit = 2): number {
    return this.solve(grid, { limit }).count;
  }

  /**
   * Eliminate until nothing changes. `tail` cells are already queued (decided, peers not yet cleared).
   * Returns false on a contradiction.
   */
  private propagate(cand: Int32Array, tail: number): boolean {
    const { peers, peerCount, units, size, allDigits } = this.shape;
    const queue = this.queue;
    let head = 0;
    for (;;) {
      while (head < tail) {
        const c = queue[head++];
        const bit = cand[c];
        const base = c * peerCount;
        for (let k = 0; k < peerCount; k++) {
          const p = peers[base + k];
          const m = cand[p];
          if ((m & bit) === 0) continue;
          const r = m & ~bit;
          if (r === 0) return false;
          cand[p] = r;
          if ((r & (r - 1)) === 0) queue[tail++] = p;
        }
      }
      // Hidden singles: a digit that fits only one undecided cell of a unit.
      let found = false;
      for (let u = 0, base = 0; u < 3 * size; u++, base += size) {
        let once = 0;
        let twice = 0;
        let fixed = 0;
        for (let k = 0; k < size; k++) {
          const m = cand[units[base + k]];
          twice |= once & m;
          once |= m;
          if ((m & (m - 1)) === 0) fixed |= m;
        }
        if (once !== allDigits) return false;
        let hidden = once & ~twice & ~fixed;
        while (hidden !== 0) {
          const bit = hidden & -hidden;
          hidden ^= bit;
          for (let k = 0; k < size; k++) {
            const cell = units[base + k];
            const m = cand[cell];
            if ((m & bit) === 0) continue;
            if ((m & (m - 1)) === 0) {
              if (m !== bit) return false;
            } else {
              cand[cell] = bit;
              queue[tail++] = cell;
              found = true;
            }
            break;
          }
        }
      }
      if (!found && head === tail) return true;
    }
  }

  /** Depth-first search; returns true when the limit is reached (stop everything). */
  private search(depth: number): boolean {
    const cand = this.levels[depth];
    const { cells } = this.shape;
    let best = -1;
    let bestCount = 99;
    for (let i = 0; i < cells; i++) {
      const m = cand[i];
      if ((m & (m - 1)) === 0) continue;
      const pc = POPCOUNT[m];
      if (pc < bestCount) {
        bestCount = pc;
        best = i;
        if (pc === 2) break;
      }
    }
    if (best < 0) {
      this.count++;
      if (this.count === 1) {
        const sol = new Uint8Array(cells);
        for (let i = 0; i < cells; i++) sol[i] = bitIndex(cand[i]) + 1;
        this.solution = sol;
      }
      return this.count >= this.limit;
    }
    if (depth + 1 > this.maxDepth) this.maxDepth = depth + 1;
    let options = cand[best];
    const next = this.level(depth + 1);
    const bits = this.orders[depth];
    let n = 0;
    while (options !== 0) {
      const bit = options & -options;
      options ^= bit;
      bits[n++] = bit;
    }
    if (this.rng) {
      for (let i = n - 1; i > 0; i--) {
        const j = this.rng.int(0, i + 1);
        const t = bits[i];
        bits[i] = bits[j];
        bits[j] = t;
      }
    }
    for (let k = 0; k < n; k++) {
      if (this.guesses >= this.maxGuesses) {
        this.aborted = true;
        return true;
      }
      this.guesses++;
      next.set(cand);
      next[best] = bits[k];
      this.queue[0] = best;
      if (this.propagate(next, 1) && this.search(depth + 1)) return true;
    }
    return false;
  }
}
