import { createHash } from "node:crypto";

/** Largest side of an ARC grid, and of the square canvas every grid is encoded on. */
export const ARC_MAX_GRID_SIZE = 30;

/** Number of ARC colours (0..9). */
export const ARC_NUM_COLOURS = 10;

/**
 * An ARC grid in a compact form: `cells[r * width + c]` is the colour (0..9) at row `r`, column `c`.
 * Loading validates every grid; functions that build grids keep the invariants (sides 1..30, colours 0..9),
 * except that a decoded prediction may be empty (0×0) when the model wrote no colour at the top-left.
 */
export interface Grid {
  readonly height: number;
  readonly width: number;
  /** [height * width], row-major colours. */
  readonly cells: Uint8Array;
}

/**
 * A grid from nested rows (not validated; use {@link validateGrid} for untrusted input).
 *
 * @example
 * ```ts
 * const g = gridFromRows([[0, 1], [2, 3]]); // height 2, width 2
 * ```
 */
export function gridFromRows(rows: ArrayLike<ArrayLike<number>>): Grid {
  const height = rows.length;
  const width = height > 0 ? rows[0].length : 0;
  const cells = new Uint8Array(height * width);
  for (let r = 0; r < height; r++) {
    const row = rows[r];
    for (let c = 0; c < width; c++) cells[r * width + c] = row[c];
  }
  return { height, width, cells };
}

/**
 * Nested rows, the ARC JSON form of a grid.
 *
 * @example
 * ```ts
 * gridToRows(gridFromRows([[5, 0]])); // [[5, 0]]
 * ```
 */
export function gridToRows(grid: Grid): number[][] {
  const rows: number[][] = [];
  for (let r = 0; r < grid.height; r++) rows.push(Array.from(grid.cells.subarray(r * grid.width, (r + 1) * grid.width)));
  return rows;
}

/**
 * Same shape and same colours.
 *
 * @example
 * ```ts
 * gridsEqual(gridFromRows([[1]]), gridFromRows([[1]])); // true
 * ```
 */
export function gridsEqual(a: Grid, b: Grid): boolean {
  if (a.height !== b.height || a.width !== b.width) return false;
  const n = a.cells.length;
  for (let i = 0; i < n; i++) if (a.cells[i] !== b.cells[i]) return false;
  return true;
}

/**
 * The reference `grid_hash`: SHA-256 (hex) of the bytes `[height, width]` followed by the cells as uint8. Equal to
 * the Python builder's and evaluator's hash of the same grid, so hashes from both worlds can be compared.
 *
 * @example
 * ```ts
 * const h = gridHash(gridFromRows([[0]])); // 64 hex characters
 * ```
 */
export function gridHash(grid: Grid): string {
  const hash = createHash("sha256");
  hash.update(Uint8Array.of(grid.height & 0xff, grid.width & 0xff));
  hash.update(grid.cells);
  return hash.digest("hex");
}
