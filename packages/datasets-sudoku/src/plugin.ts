import { DataFormatError, definePlugin, type DatasetSpec, type Plugin, type PuzzleDatasetMetadata } from "@recurse/core";
import { buildSudokuDataset } from "./build";
import { encodeCells, decodeTokens, shapeFromMetadata } from "./encode";
import { assertConsistent, parseGrid, sizeForLength } from "./grid";
import { renderGrid } from "./render";
import { sudokuBuildSchema, type SudokuBuildOptions } from "./schema";

/**
 * Whether a dataset on disk is a Sudoku: built here (`recurse.dataset === "sudoku"`), or a reference-built one of
 * Sudoku shape (seq_len N² with vocab_size N + 2: 81 and 11 for Sudoku-Extreme).
 *
 * @example
 * ```ts
 * isSudokuDataset(train.metadata); // true for seq_len 81, vocab_size 11
 * ```
 */
export function isSudokuDataset(metadata: PuzzleDatasetMetadata): boolean {
  if (metadata.recurse !== undefined) return metadata.recurse.dataset === "sudoku";
  const n = sizeForLength(metadata.seqLen);
  return n !== undefined && metadata.vocabSize === n + 2;
}

/**
 * A user-typed puzzle as input tokens ([N²]) for a dataset's shape: the N² cells in reading order, '.' or '0'
 * for blanks; spaces, newlines and the box separators `|`, `-`, `+` of a rendered grid are ignored, so a pasted
 * {@link renderGrid} output parses. Contradictory givens are rejected, naming the cells.
 *
 * @example
 * ```ts
 * parseSudokuPuzzle("1.|.2\n.4|..\n---+---\n..|1.\n2.|.3", metadata4x4); // Int32Array(16)
 * ```
 */
export function parseSudokuPuzzle(text: string, metadata: PuzzleDatasetMetadata): Int32Array {
  const shape = shapeFromMetadata(metadata);
  const cleaned = text.replace(/[\s|+\-]/g, "");
  if (cleaned.length !== shape.cells) {
    throw new DataFormatError(`typed puzzle has ${cleaned.length} cells`, {
      field: "puzzle",
      expected: `${shape.cells} cells for a ${shape.label} grid ('.' or '0' for blanks)`,
    });
  }
  const { grid } = parseGrid(cleaned, { shape, source: { field: "puzzle" } });
  assertConsistent(grid, shape, { field: "puzzle" });
  return Int32Array.from(encodeCells(grid));
}

/**
 * The `sudoku` dataset kind: builds reference-format Sudoku datasets of any box shape from CSVs, line banks or the
 * generator (see {@link buildSudokuDataset}), recognises them, renders tokens as a grid with box separators and
 * parses typed puzzles.
 *
 * @example
 * ```ts
 * const options = sudokuDataset.buildSchema.parse({ inputs: ["train.csv", "test.csv"], trainSize: 1000, augmentations: 1000, out: "data/s" });
 * await sudokuDataset.build(options);
 * ```
 */
export const sudokuDataset: DatasetSpec<SudokuBuildOptions> = {
  id: "sudoku",
  description: "Sudoku of any box shape (4x4, 6x6, 9x9, 16x16): PAD 0, blank 1, digits 2..N+1; digit/band/row/stack/column/transpose augmentation",
  buildSchema: sudokuBuildSchema,
  build: (options, hooks) => buildSudokuDataset(options, hooks),
  detect: isSudokuDataset,
  render: (tokens, metadata, options) => {
    const shape = shapeFromMetadata(metadata);
    return renderGrid(decodeTokens(tokens, shape), shape, { color: options?.color ?? false });
  },
  parsePuzzle: (text, metadata) => parseSudokuPuzzle(text, metadata),
};

/**
 * The plugin object of this package: the `sudoku` dataset kind.
 *
 * @example
 * ```ts
 * const registry = createRegistry().use(sudoku);
 * ```
 */
export const sudoku: Plugin = definePlugin({ name: "@recurse/datasets-sudoku", datasets: [sudokuDataset] });
