import { DataFormatError } from "../errors";
import type { PuzzleDatasetMetadata, PuzzleDatasetSplit } from "./puzzle-dataset-types";

/** The five arrays of a split, by their file stem (`all__<stem>.npy`). */
export const PUZZLE_ARRAYS = ["inputs", "labels", "puzzle_identifiers", "puzzle_indices", "group_indices"] as const;
export type PuzzleArrayName = (typeof PUZZLE_ARRAYS)[number];

/** Where each array lives, for error messages: the `.npy` path (or a label for in-memory data). */
export type PuzzleArrayFiles = Record<PuzzleArrayName | "metadata", string>;

/** Offsets array: first 0, strictly increasing (no empty puzzle or group), last = `end`. */
export function checkOffsets(offsets: Int32Array, end: number, file: string, what: string): void {
  if (offsets.length < 1 || offsets[0] !== 0) {
    throw new DataFormatError(`first offset is ${offsets.length ? offsets[0] : "missing"}`, { file, field: what, expected: "0" });
  }
  for (let i = 1; i < offsets.length; i++) {
    if (offsets[i] <= offsets[i - 1]) {
      throw new DataFormatError(`offsets not increasing at index ${i} (${offsets[i - 1]} then ${offsets[i]})`, {
        file,
        field: what,
        expected: "strictly increasing offsets (every puzzle has an example, every group a puzzle)",
      });
    }
  }
  if (offsets[offsets.length - 1] !== end) {
    throw new DataFormatError(`last offset is ${offsets[offsets.length - 1]}`, { file, field: what, expected: `${end}` });
  }
}

/** Every token in [0, vocabSize), or equal to `allowed` (the ignore label id), else a DataFormatError at the first. */
export function checkTokens(tokens: Int32Array, vocabSize: number, allowed: number | null, file: string, seqLen: number): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if ((t < 0 || t >= vocabSize) && t !== allowed) {
      throw new DataFormatError(`token ${t} at example ${Math.floor(i / seqLen)}, position ${i % seqLen}`, {
        file,
        field: "data",
        expected: `ids in [0, ${vocabSize})${allowed !== null && (allowed < 0 || allowed >= vocabSize) ? ` or the ignore id ${allowed}` : ""}`,
      });
    }
  }
}

/**
 * Check that the arrays of a split agree with each other and with its metadata: lengths, offsets monotone and
 * covering everything, token ids below vocab_size, identifiers below num_puzzle_identifiers.
 *
 * @example
 * validatePuzzleDatasetSplit(split, puzzleDatasetFiles("data/sudoku", "train")); // throws DataFormatError if not
 */
export function validatePuzzleDatasetSplit(split: PuzzleDatasetSplit, files: PuzzleArrayFiles): void {
  const m: PuzzleDatasetMetadata = split.metadata;
  const { inputs, labels, puzzleIdentifiers, puzzleIndices, groupIndices } = split;
  if (!m.sets.includes("all")) {
    throw new DataFormatError(`sets are [${m.sets.join(", ")}]`, { file: files.metadata, field: "sets", expected: 'a list containing "all"' });
  }
  if (inputs.length % m.seqLen !== 0) {
    throw new DataFormatError(`${inputs.length} tokens is not a whole number of rows of seq_len ${m.seqLen}`, { file: files.inputs, field: "shape" });
  }
  const examples = inputs.length / m.seqLen;
  if (labels.length !== inputs.length) {
    throw new DataFormatError(`labels hold ${labels.length / m.seqLen} rows, inputs ${examples}`, { file: files.labels, field: "shape", expected: `[${examples}, ${m.seqLen}]` });
  }
  const puzzles = puzzleIdentifiers.length;
  if (puzzleIndices.length !== puzzles + 1) {
    throw new DataFormatError(`${puzzleIndices.length} puzzle offsets for ${puzzles} puzzle identifiers`, {
      file: files.puzzle_indices,
      field: "shape",
      expected: `[${puzzles + 1}]`,
    });
  }
  checkOffsets(puzzleIndices, examples, files.puzzle_indices, "puzzle_indices");
  const groups = groupIndices.length - 1;
  checkOffsets(groupIndices, puzzles, files.group_indices, "group_indices");
  if (groups !== m.totalGroups) {
    throw new DataFormatError(`total_groups is ${m.totalGroups} but group_indices holds ${groups} groups`, { file: files.metadata, field: "total_groups", expected: `${groups}` });
  }
  for (let i = 0; i < puzzles; i++) {
    const id = puzzleIdentifiers[i];
    if (id < 0 || id >= m.numPuzzleIdentifiers) {
      throw new DataFormatError(`identifier ${id} of puzzle ${i}`, { file: files.puzzle_identifiers, field: "data", expected: `ids in [0, ${m.numPuzzleIdentifiers})` });
    }
  }
  checkTokens(inputs, m.vocabSize, null, files.inputs, m.seqLen);
  checkTokens(labels, m.vocabSize, m.ignoreLabelId, files.labels, m.seqLen);
}
