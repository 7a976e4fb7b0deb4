import type { Rng } from "@recurse/core";
import type { SudokuShape } from "./shape";

/**
 * One validity-preserving relabelling of a Sudoku: output cell (r, c) takes the value of source cell
 * (rowPerm[r], colPerm[c]) of the (optionally transposed) grid, mapped through `digitMap`.
 */
export interface SudokuTransform {
  /** digitMap[0] = 0 (blank stays blank); digitMap[1..N] a permutation of 1..N. */
  digitMap: Uint8Array;
  /** Transpose first (only ever true for square boxes). */
  transpose: boolean;
  /** [N] source row of each output row: bands shuffled, then rows inside each band. */
  rowPerm: Int32Array;
  /** [N] source column of each output column: stacks shuffled, then columns inside each stack. */
  colPerm: Int32Array;
}

/**
 * Draw a random transform exactly as the reference `shuffle_sudoku` does, generalised to any box shape, in the
 * same order of draws: a digit permutation, the transpose flag (p 0.5), the band order, each band's row order,
 * the stack order, each stack's column order.
 *
 * Transpose needs square boxes: transposing a grid of 2x3 boxes gives a grid of 3x2 boxes, a different puzzle
 * shape that the model would see with a different box structure. For non-square boxes no flag is drawn and
 * `transpose` is false; the group left (band/row/stack/column shuffles and digits) still contains the 180°
 * rotation and both reflections across the middle row and column.
 *
 * @example
 * ```ts
 * const t = sampleTransform(shapeForSize(9), new Rng(1));
 * const [q2, a2] = [applyTransform(q, t, shape), applyTransform(a, t, shape)];
 * ```
 */
export function sampleTransform(shape: SudokuShape, rng: Rng): SudokuTransform {
  const t = new TransformSampler(shape).sample(rng);
  return { digitMap: t.digitMap.slice(), transpose: t.transpose, rowPerm: t.rowPerm.slice(), colPerm: t.colPerm.slice() };
}

/**
 * Draws transforms like {@link sampleTransform} (the same draws from the same `rng`, so the same transforms) into
 * one reused object, without allocating: the dataset builder draws a million of them. Each `sample` overwrites the
 * previous result.
 *
 * @example
 * ```ts
 * const sampler = new TransformSampler(shape);
 * for (let m = 0; m < 1000; m++) applyTransform(q, sampler.sample(rng), shape, out);
 * ```
 */
export class TransformSampler {
  readonly shape: SudokuShape;
  private readonly t: SudokuTransform;
  private readonly scratch: Int32Array;
  private readonly order: Int32Array;

  constructor(shape: SudokuShape) {
    this.shape = shape;
    const n = shape.size;
    this.t = { digitMap: new Uint8Array(n + 1), transpose: false, rowPerm: new Int32Array(n), colPerm: new Int32Array(n) };
    this.scratch = new Int32Array(n);
    this.order = new Int32Array(n);
  }

  /** `Rng.permutation(k)` into `out[0..k)`: identity, then the same Fisher-Yates draws. */
  private permute(rng: Rng, k: number, out: Int32Array): void {
    for (let i = 0; i < k; i++) out[i] = i;
    for (let i = k - 1; i > 0; i--) {
      const j = rng.int(0, i + 1);
      const x = out[i];
      out[i] = out[j];
      out[j] = x;
    }
  }

  sample(rng: Rng): SudokuTransform {
    const { size, boxRows, boxCols, bands, stacks } = this.shape;
    const { t, scratch, order } = this;
    this.permute(rng, size, scratch);
    t.digitMap[0] = 0;
    for (let d = 0; d < size; d++) t.digitMap[d + 1] = scratch[d] + 1;
    t.transpose = boxRows === boxCols ? rng.next() < 0.5 : false;
    this.permute(rng, bands, order);
    for (let b = 0; b < bands; b++) {
      this.permute(rng, boxRows, scratch);
      for (let r = 0; r < boxRows; r++) t.rowPerm[b * boxRows + r] = order[b] * boxRows + scratch[r];
    }
    this.permute(rng, stacks, order);
    for (let s = 0; s < stacks; s++) {
      this.permute(rng, boxCols, scratch);
      for (let c = 0; c < boxCols; c++) t.colPerm[s * boxCols + c] = order[s] * boxCols + scratch[c];
    }
    return t;
  }
}

/**
 * [N²] source cell of each output cell for a transform (the reference's `mapping`, transpose folded in).
 *
 * @example
 * ```ts
 * const src = transformSourceCells(sampleTransform(shape, rng), shape); // out[i] = digitMap[grid[src[i]]]
 * ```
 */
export function transformSourceCells(t: SudokuTransform, shape: SudokuShape, src = new Int32Array(shape.cells)): Int32Array {
  const n = shape.size;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      src[r * n + c] = t.transpose ? t.colPerm[c] * n + t.rowPerm[r] : t.rowPerm[r] * n + t.colPerm[c];
    }
  }
  return src;
}

/**
 * Apply a transform to one grid (values 0..N), into `out` when given. Apply the same transform to a puzzle and its
 * solution to keep them paired.
 *
 * @example
 * ```ts
 * const out = applyTransform(grid, sampleTransform(shape, rng), shape);
 * ```
 */
export function applyTransform(grid: ArrayLike<number>, t: SudokuTransform, shape: SudokuShape, out = new Uint8Array(shape.cells)): Uint8Array {
  const src = transformSourceCells(t, shape);
  for (let i = 0; i < shape.cells; i++) out[i] = t.digitMap[grid[src[i]]];
  return out;
}

/**
 * The reference's `shuffle_sudoku`: one random transform applied to a puzzle and its solution.
 *
 * @example
 * ```ts
 * const { question, answer } = shuffleSudoku(q, a, shapeForSize(9), new Rng(7));
 * ```
 */
export function shuffleSudoku(
  question: ArrayLike<number>,
  answer: ArrayLike<number>,
  shape: SudokuShape,
  rng: Rng,
): { question: Uint8Array; answer: Uint8Array; transform: SudokuTransform } {
  const t = sampleTransform(shape, rng);
  return { question: applyTransform(question, t, shape), answer: applyTransform(answer, t, shape), transform: t };
}
