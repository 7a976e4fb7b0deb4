import type { Rng } from "@recurse/core";
import { ARC_MAX_GRID_SIZE, type Grid } from "./grid";

/** Tokens per example: the 30×30 canvas, row-major. */
export const ARC_SEQ_LEN = ARC_MAX_GRID_SIZE * ARC_MAX_GRID_SIZE;
/** PAD, EOS and the ten colours. */
export const ARC_VOCAB_SIZE = 12;
/** Canvas outside the grid and its EOS frame; labels equal to it carry no loss. */
export const ARC_PAD = 0;
/** Marks the row just below and the column just right of the grid. */
export const ARC_EOS = 1;
/** Token of colour c is `c + ARC_COLOUR_OFFSET` (2..11). */
export const ARC_COLOUR_OFFSET = 2;

/** Top-left corner of a grid on the canvas. */
export interface CanvasOffset {
  row: number;
  col: number;
}

/**
 * Writes a grid on the 30×30 canvas at `offset` as the reference `np_grid_to_seq_translational_augment`: colours
 * become 2..11, EOS (1) fills the row just below the grid and the column just right of it (each only if inside
 * the canvas; the corner cell stays PAD), everything else is PAD (0).
 *
 * @example
 * ```ts
 * const tokens = encodeGrid(gridFromRows([[3]])); // tokens[0] = 5, tokens[1] = 1, tokens[30] = 1, tokens[31] = 0
 * ```
 */
export function encodeGrid(grid: Grid, offset: CanvasOffset = { row: 0, col: 0 }, out = new Uint8Array(ARC_SEQ_LEN)): Uint8Array {
  const S = ARC_MAX_GRID_SIZE;
  const { row: r0, col: c0 } = offset;
  const { height, width, cells } = grid;
  if (r0 < 0 || c0 < 0 || r0 + height > S || c0 + width > S) {
    throw new RangeError(`a ${height}x${width} grid at (${r0}, ${c0}) does not fit the ${S}x${S} canvas`);
  }
  out.fill(ARC_PAD);
  for (let r = 0; r < height; r++) {
    const base = (r0 + r) * S + c0;
    for (let c = 0; c < width; c++) out[base + c] = cells[r * width + c] + ARC_COLOUR_OFFSET;
  }
  const eosRow = r0 + height;
  const eosCol = c0 + width;
  if (eosRow < S) out.fill(ARC_EOS, eosRow * S + c0, eosRow * S + eosCol);
  if (eosCol < S) for (let r = r0; r < eosRow; r++) out[r * S + eosCol] = ARC_EOS;
  return out;
}

/**
 * A random translation for a training pair, as the reference draws it: the same offset for input and output, rows
 * in [0, 30 − max(h_in, h_out)] and columns in [0, 30 − max(w_in, w_out)].
 *
 * @example
 * ```ts
 * const offset = randomOffset(input, output, new Rng(1));
 * ```
 */
export function randomOffset(input: Grid, output: Grid, rng: Rng): CanvasOffset {
  const row = rng.int(0, ARC_MAX_GRID_SIZE - Math.max(input.height, output.height) + 1);
  const col = rng.int(0, ARC_MAX_GRID_SIZE - Math.max(input.width, output.width) + 1);
  return { row, col };
}

function isColourToken(x: number): boolean {
  return x >= ARC_COLOUR_OFFSET && x <= ARC_COLOUR_OFFSET + 9;
}

/**
 * The reference evaluator's `_crop`: from the top-left cell, the largest rectangle whose cells are all colour
 * tokens, scanning rows and shrinking the column count at the first non-colour token; returned as colours 0..9.
 * Empty (0×0) when the top-left token is not a colour.
 *
 * @example
 * ```ts
 * cropGrid(encodeGrid(grid)); // equals grid
 * ```
 */
export function cropGrid(tokens: ArrayLike<number>, origin: CanvasOffset = { row: 0, col: 0 }): Grid {
  const S = ARC_MAX_GRID_SIZE;
  if (tokens.length !== ARC_SEQ_LEN) throw new RangeError(`expected ${ARC_SEQ_LEN} tokens, got ${tokens.length}`);
  const nr = S - origin.row;
  let numC = S - origin.col;
  let maxArea = 0;
  let best = { rows: 0, cols: 0 };
  for (let numR = 1; numR <= nr; numR++) {
    const base = (origin.row + numR - 1) * S + origin.col;
    for (let c = 1; c <= numC; c++) {
      if (!isColourToken(tokens[base + c - 1])) {
        numC = c - 1;
        break;
      }
    }
    const area = numR * numC;
    if (area > maxArea) {
      maxArea = area;
      best = { rows: numR, cols: numC };
    }
  }
  const cells = new Uint8Array(best.rows * best.cols);
  for (let r = 0; r < best.rows; r++) {
    const base = (origin.row + r) * S + origin.col;
    for (let c = 0; c < best.cols; c++) cells[r * best.cols + c] = tokens[base + c] - ARC_COLOUR_OFFSET;
  }
  return { height: best.rows, width: best.cols, cells };
}

/**
 * Where a translated grid starts: the first row and the first column holding a non-PAD token (a grid is all colour
 * tokens and its EOS frame lies below and right of it, so nothing non-PAD lies above or left). (0, 0) for an
 * all-PAD canvas.
 *
 * @example
 * ```ts
 * findOrigin(encodeGrid(grid, { row: 4, col: 7 })); // { row: 4, col: 7 }
 * ```
 */
export function findOrigin(tokens: ArrayLike<number>): CanvasOffset {
  const S = ARC_MAX_GRID_SIZE;
  let row = -1;
  let col = S;
  for (let r = 0; r < S; r++) {
    for (let c = 0; c < S; c++) {
      if (tokens[r * S + c] !== ARC_PAD) {
        if (row < 0) row = r;
        if (c < col) col = c;
        break;
      }
    }
  }
  return row < 0 ? { row: 0, col: 0 } : { row, col };
}

/**
 * Decodes an encoded grid, translated or not: finds its origin ({@link findOrigin}), then crops there as the
 * reference does at (0, 0). For untranslated canvases (every test example) this is exactly the reference crop.
 *
 * @example
 * ```ts
 * decodeGrid(encodeGrid(grid, { row: 3, col: 2 })); // equals grid
 * ```
 */
export function decodeGrid(tokens: ArrayLike<number>): Grid {
  return cropGrid(tokens, findOrigin(tokens));
}
