import { existsSync } from "node:fs";
import { join } from "node:path";
import { DataFormatError, readPuzzleDataset, type PuzzleDatasetSplit } from "@recurse/core";
import { shapeFromMetadata } from "./encode";
import type { SudokuShape } from "./shape";

/** A Sudoku dataset read back from disk. */
export interface LoadedSudokuDataset {
  shape: SudokuShape;
  /** Absent for a test-only build. */
  train?: PuzzleDatasetSplit;
  test?: PuzzleDatasetSplit;
}

/**
 * Read the splits of a reference-format Sudoku dataset (ours, or the reference builder's 9x9 output), validated by
 * core's reader, with the grid shape from its metadata.
 *
 * @example
 * ```ts
 * const { shape, train, test } = await loadSudokuDataset("data/sudoku-1k");
 * train!.inputs.length / shape.cells; // examples
 * ```
 */
export async function loadSudokuDataset(root: string): Promise<LoadedSudokuDataset> {
  const out: Partial<LoadedSudokuDataset> = {};
  for (const split of ["train", "test"] as const) {
    if (!existsSync(join(root, split, "dataset.json"))) continue;
    const data = await readPuzzleDataset(root, split);
    const shape = shapeFromMetadata(data.metadata);
    if (out.shape && out.shape !== shape) {
      throw new DataFormatError(`${split} split is ${shape.label} but the other split is ${out.shape.label}`, { file: join(root, split, "dataset.json") });
    }
    out.shape = shape;
    out[split] = data;
  }
  if (!out.shape) {
    throw new DataFormatError("no train/ or test/ split found", { file: root, expected: "a directory written by `recurse data build sudoku` or the reference builder" });
  }
  return out as LoadedSudokuDataset;
}
