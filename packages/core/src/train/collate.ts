import type { PuzzleDatasetSplit } from "../formats/puzzle-dataset-types";
import { IGNORE_LABEL, type PuzzleBatch } from "../reasoner/types";

/**
 * Gather examples of a split into a batch, as the reference's `_collate_batch`: labels equal to the dataset's
 * `ignoreLabelId` become {@link IGNORE_LABEL}; each example's puzzle identifier comes from its puzzle.
 *
 * @param examples example indices, [B]
 * @param puzzles the puzzle index of each example, [B]
 * @example
 * ```ts
 * const batch = collateExamples(split, Int32Array.from([0, 1]), Int32Array.from([0, 0]));
 * ```
 */
export function collateExamples(split: PuzzleDatasetSplit, examples: ArrayLike<number>, puzzles: ArrayLike<number>): PuzzleBatch {
  const seqLen = split.metadata.seqLen;
  const batchSize = examples.length;
  const inputs = new Int32Array(batchSize * seqLen);
  const labels = new Int32Array(batchSize * seqLen);
  const puzzleIds = new Int32Array(batchSize);
  const ignore = split.metadata.ignoreLabelId;
  for (let b = 0; b < batchSize; b++) {
    const e = examples[b];
    inputs.set(split.inputs.subarray(e * seqLen, (e + 1) * seqLen), b * seqLen);
    const row = split.labels.subarray(e * seqLen, (e + 1) * seqLen);
    for (let t = 0; t < seqLen; t++) labels[b * seqLen + t] = ignore !== null && row[t] === ignore ? IGNORE_LABEL : row[t];
    puzzleIds[b] = split.puzzleIdentifiers[puzzles[b]];
  }
  return { inputs, labels, puzzleIds, batchSize, seqLen };
}

/** The puzzle index of every example of a split (inverse of `puzzleIndices`). */
export function puzzleOfExamples(split: PuzzleDatasetSplit): Int32Array {
  const n = split.inputs.length / split.metadata.seqLen;
  const out = new Int32Array(n);
  const idx = split.puzzleIndices;
  for (let p = 0; p + 1 < idx.length; p++) out.fill(p, idx[p], idx[p + 1]);
  return out;
}
