/**
 * `dataset.json` of the reference on-disk format (PuzzleDatasetMetadata), in camelCase. Files use the reference's
 * snake_case names; the reader and writer convert.
 */
export interface PuzzleDatasetMetadata {
  padId: number;
  ignoreLabelId: number | null;
  blankIdentifierId: number;
  vocabSize: number;
  seqLen: number;
  numPuzzleIdentifiers: number;
  totalGroups: number;
  meanPuzzleExamples: number;
  totalPuzzles?: number;
  sets: string[];
  /** Recurse's own fields (ignored by the reference loaders): which dataset kind built it and its options. */
  recurse?: { dataset: string; [key: string]: unknown };
}

/** One split (`train` or `test`) of a reference-format dataset, set `all`, in memory. */
export interface PuzzleDatasetSplit {
  metadata: PuzzleDatasetMetadata;
  /** [numExamples, seqLen] */
  inputs: Int32Array;
  /** [numExamples, seqLen], label values as stored (ignore id not yet mapped to -100). */
  labels: Int32Array;
  /** [numPuzzles] */
  puzzleIdentifiers: Int32Array;
  /** [numPuzzles + 1] example start offsets. */
  puzzleIndices: Int32Array;
  /** [numGroups + 1] puzzle start offsets. */
  groupIndices: Int32Array;
}
