import type { Rng } from "@recurse/core";
import { ARC_NUM_COLOURS, type Grid } from "./grid";

/**
 * A colour permutation: `perm[c]` is the new colour of colour `c`. The augmentation keeps colour 0 (black, the
 * usual background) fixed and shuffles 1..9, as the reference builders do.
 */
export type ColourPermutation = Uint8Array;

/** The identity permutation 0..9. */
export function identityColours(): ColourPermutation {
  return Uint8Array.from({ length: ARC_NUM_COLOURS }, (_, i) => i);
}

/**
 * A random permutation of colours 1..9 with 0 kept.
 *
 * @example
 * ```ts
 * const perm = randomColourPermutation(new Rng(1)); // perm[0] === 0
 * ```
 */
export function randomColourPermutation(rng: Rng): ColourPermutation {
  const perm = identityColours();
  const rest = perm.subarray(1);
  rng.shuffle(rest);
  return perm;
}

/**
 * The permutation that undoes `perm` (numpy's `argsort(perm)`).
 *
 * @example
 * ```ts
 * invertColours(Uint8Array.of(0, 2, 1, 3, 4, 5, 6, 7, 8, 9)); // the same permutation (a swap)
 * ```
 */
export function invertColours(perm: ColourPermutation): ColourPermutation {
  const inv = new Uint8Array(perm.length);
  for (let c = 0; c < perm.length; c++) inv[perm[c]] = c;
  return inv;
}

/**
 * Recolours a grid: colour `c` becomes `perm[c]`.
 *
 * @example
 * ```ts
 * mapColours(gridFromRows([[1, 0]]), perm); // [[perm[1], 0]]
 * ```
 */
export function mapColours(grid: Grid, perm: ColourPermutation): Grid {
  const cells = new Uint8Array(grid.cells.length);
  for (let i = 0; i < cells.length; i++) cells[i] = perm[grid.cells[i]];
  return { height: grid.height, width: grid.width, cells };
}

/** Whether `perm` is a permutation of 0..9. */
export function isColourPermutation(perm: ArrayLike<number>): boolean {
  if (perm.length !== ARC_NUM_COLOURS) return false;
  const seen = new Set<number>();
  for (let i = 0; i < perm.length; i++) {
    const v = perm[i];
    if (!Number.isInteger(v) || v < 0 || v >= ARC_NUM_COLOURS) return false;
    seen.add(v);
  }
  return seen.size === ARC_NUM_COLOURS;
}
