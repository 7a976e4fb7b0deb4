import type { Grid } from "./grid";

/** Id of one of the 8 symmetries of the square, numbered as the reference `dihedral_transform`. */
export type DihedralId = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Human names of the dihedral ids, in id order. */
export const DIHEDRAL_NAMES = ["identity", "rot90", "rot180", "rot270", "fliplr", "flipud", "transpose", "antitranspose"] as const;

/** `DIHEDRAL_INVERSE[t]` undoes transform `t` (the reference table `[0, 3, 2, 1, 4, 5, 6, 7]`). */
export const DIHEDRAL_INVERSE: readonly DihedralId[] = [0, 3, 2, 1, 4, 5, 6, 7];

/** Whether a transform swaps height and width. */
export function swapsSides(transform: DihedralId): boolean {
  return transform === 1 || transform === 3 || transform === 6 || transform === 7;
}

/**
 * Source cell of output cell (i, j) for an input of height H and width W, per transform:
 * 1 is numpy's `rot90` (counter-clockwise, B[i,j] = A[j, W-1-i]); 7 is `fliplr(rot90(A))`, B[i,j] = A[H-1-j, W-1-i].
 */
function sourceIndex(t: DihedralId, i: number, j: number, H: number, W: number): number {
  switch (t) {
    case 0: return i * W + j;
    case 1: return j * W + (W - 1 - i);
    case 2: return (H - 1 - i) * W + (W - 1 - j);
    case 3: return (H - 1 - j) * W + i;
    case 4: return i * W + (W - 1 - j);
    case 5: return (H - 1 - i) * W + j;
    case 6: return j * W + i;
    case 7: return (H - 1 - j) * W + (W - 1 - i);
  }
}

/**
 * Applies dihedral transform `t` (reference ids: 0 identity, 1 rot90 CCW, 2 rot180, 3 rot270, 4 fliplr, 5 flipud,
 * 6 transpose, 7 anti-transpose) to a grid.
 *
 * @example
 * ```ts
 * const g = gridFromRows([[1, 2], [3, 4]]);
 * gridToRows(dihedral(g, 1)); // [[2, 4], [1, 3]], numpy rot90
 * ```
 */
export function dihedral(grid: Grid, t: DihedralId): Grid {
  if (t === 0) return { height: grid.height, width: grid.width, cells: grid.cells.slice() };
  const H = grid.height;
  const W = grid.width;
  const swap = swapsSides(t);
  const height = swap ? W : H;
  const width = swap ? H : W;
  const cells = new Uint8Array(height * width);
  const src = grid.cells;
  for (let i = 0; i < height; i++) {
    for (let j = 0; j < width; j++) cells[i * width + j] = src[sourceIndex(t, i, j, H, W)];
  }
  return { height, width, cells };
}

/**
 * Undoes {@link dihedral}: `inverseDihedral(dihedral(g, t), t)` equals `g`.
 *
 * @example
 * ```ts
 * inverseDihedral(dihedral(g, 1), 1); // g
 * ```
 */
export function inverseDihedral(grid: Grid, t: DihedralId): Grid {
  return dihedral(grid, DIHEDRAL_INVERSE[t]);
}

/** Type guard for a dihedral id. */
export function isDihedralId(t: unknown): t is DihedralId {
  return typeof t === "number" && Number.isInteger(t) && t >= 0 && t <= 7;
}
