import { createHash } from "node:crypto";

/** An ARC grid in its original frame: rows of colours 0..9. */
export type Grid = number[][];

/**
 * Content hash of a grid: equal grids (same shape and cells) and only those share a hash, so votes can be counted
 * by hash without keeping every predicted grid.
 *
 * @example
 * ```ts
 * gridHash([[1, 2], [3, 4]]) === gridHash([[1, 2], [3, 4]]); // true
 * gridHash([[1, 2, 3, 4]]) === gridHash([[1, 2], [3, 4]]);   // false: the shape is hashed too
 * ```
 */
export function gridHash(grid: Grid): string {
  const h = grid.length;
  const w = h ? grid[0].length : 0;
  const words = new Int32Array(2 + h * w);
  words[0] = h;
  words[1] = w;
  let k = 2;
  for (const row of grid) {
    if (row.length !== w) {
      // A ragged grid cannot come from a crop; hash its rows' lengths so it never collides with a rectangle.
      return createHash("sha256").update(JSON.stringify(grid)).digest("hex");
    }
    for (const v of row) words[k++] = v;
  }
  return createHash("sha256").update(new Uint8Array(words.buffer)).digest("hex");
}
