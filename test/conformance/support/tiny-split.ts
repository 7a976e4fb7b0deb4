/** A small reference-format split sized to an architecture's config, for conformance tests. */
import type { PuzzleDatasetSplit } from "@recurse/core";
import { makeSplit } from "../../../packages/core/test/support/tiny-dataset";
import type { DataSizes } from "./built-in-registry";

/**
 * core's test split (tokens 1..vocab-1, labels a fixed map of the inputs, some unsupervised cells) with
 * `puzzles` one-puzzle groups of `examplesPerPuzzle` examples, its puzzle ids folded into the config's table:
 * cycling through 1..numPuzzleIdentifiers-1 (0 is the blank id), or all 0 when the table has a single row.
 */
export function tinySplit(sizes: DataSizes, options: { puzzles: number; examplesPerPuzzle: number; seed: number }): PuzzleDatasetSplit {
  const groups = Array.from({ length: options.puzzles }, () => [options.examplesPerPuzzle]);
  const split = makeSplit(groups, { seqLen: sizes.seqLen, vocab: sizes.vocabSize, seed: options.seed });
  const rows = sizes.numPuzzleIdentifiers;
  return {
    ...split,
    metadata: { ...split.metadata, numPuzzleIdentifiers: rows },
    puzzleIdentifiers: split.puzzleIdentifiers.map((id) => (rows > 1 ? 1 + ((id - 1) % (rows - 1)) : 0)),
  };
}
