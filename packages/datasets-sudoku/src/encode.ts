import { DataFormatError, type PuzzleDatasetMetadata } from "@recurse/core";
import { sizeForLength } from "./grid";
import { boxForSize, sudokuShape, type SudokuShape } from "./shape";

/** Token 0: padding (never in a Sudoku example, but reserved as in the reference). */
export const SUDOKU_PAD = 0;
/** Token 1: a blank cell. Digits d = 1..N are tokens d + 1. */
export const SUDOKU_BLANK = 1;

/**
 * Vocabulary size for an N×N grid: PAD, blank and N digits (11 for 9x9, as the reference).
 *
 * @example
 * ```ts
 * sudokuVocabSize(shapeForSize(9)); // 11
 * ```
 */
export function sudokuVocabSize(shape: SudokuShape): number {
  return shape.size + 2;
}

/**
 * Cell values (0 blank, 1..N) to tokens (value + 1), the reference's `arr + 1`. Used for inputs and, with a
 * solution, for labels: every cell carries a label (digit + 1), none is ignored.
 *
 * @example
 * ```ts
 * encodeCells(new Uint8Array([0, 9])); // Uint8Array [1, 10]
 * ```
 */
export function encodeCells(grid: ArrayLike<number>, out = new Uint8Array(grid.length)): Uint8Array {
  for (let i = 0; i < grid.length; i++) out[i] = grid[i] + 1;
  return out;
}

/**
 * Tokens back to cell values; PAD (0) and blank (1) both give 0. Throws on a token outside the vocabulary.
 *
 * @example
 * ```ts
 * decodeTokens([1, 10], shapeForSize(9)); // Uint8Array [0, 9]
 * ```
 */
export function decodeTokens(tokens: ArrayLike<number>, shape: SudokuShape): Uint8Array {
  if (tokens.length !== shape.cells) {
    throw new DataFormatError(`${tokens.length} tokens`, { field: "tokens", expected: `${shape.cells} tokens for a ${shape.label} grid` });
  }
  const out = new Uint8Array(shape.cells);
  for (let i = 0; i < shape.cells; i++) {
    const t = tokens[i];
    if (!Number.isInteger(t) || t < 0 || t > shape.size + 1) {
      throw new DataFormatError(`token ${t} at position ${i}`, { field: "tokens", expected: `ids 0..${shape.size + 1} (vocabulary ${shape.size + 2})` });
    }
    out[i] = t <= 1 ? 0 : t - 1;
  }
  return out;
}

/** The `recurse` block of a Sudoku dataset's `dataset.json`. */
export interface SudokuDatasetInfo {
  dataset: "sudoku";
  boxRows: number;
  boxCols: number;
  [key: string]: unknown;
}

/**
 * The shape of a dataset on disk: from `recurse.boxRows/boxCols` when we built it, otherwise from `seq_len`
 * (81 → 9x9, as the reference builder's output). Throws when the metadata is not a Sudoku's.
 *
 * @example
 * ```ts
 * shapeFromMetadata(train.metadata).label; // "9x9 (3x3 boxes)"
 * ```
 */
export function shapeFromMetadata(metadata: PuzzleDatasetMetadata): SudokuShape {
  const info = metadata.recurse;
  if (info && info.dataset === "sudoku" && typeof info.boxRows === "number" && typeof info.boxCols === "number") {
    return sudokuShape(info.boxRows, info.boxCols);
  }
  const n = sizeForLength(metadata.seqLen);
  if (n === undefined || metadata.vocabSize !== n + 2) {
    throw new DataFormatError(`seq_len ${metadata.seqLen} with vocab_size ${metadata.vocabSize} is not a Sudoku`, {
      field: "dataset.json",
      expected: "seq_len N² and vocab_size N + 2 (81 and 11 for 9x9), or recurse.boxRows/boxCols",
    });
  }
  const { boxRows, boxCols } = boxForSize(n);
  return sudokuShape(boxRows, boxCols);
}
