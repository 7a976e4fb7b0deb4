/** Small synthetic reference-format splits for engine tests. Test support only. */
import { Rng, type PuzzleDatasetSplit } from "@recurse/core";

/**
 * A split whose groups hold puzzles with the given example counts, e.g. `[[2, 1], [3]]` = group 0 with two
 * puzzles (2 and 1 examples), group 1 with one puzzle of 3 examples. Labels: a fixed token map of the inputs
 * (`(v mod (vocab−1)) + 1`), with `ignoreLabelId` 0 at random positions.
 */
export function makeSplit(groups: number[][], options: { seqLen?: number; vocab?: number; seed?: number } = {}): PuzzleDatasetSplit {
  const seqLen = options.seqLen ?? 4;
  const vocab = options.vocab ?? 5;
  const rng = new Rng(options.seed ?? 9);
  const puzzleIndices = [0];
  const groupIndices = [0];
  const puzzleIdentifiers: number[] = [];
  for (const g of groups) {
    for (const size of g) {
      puzzleIdentifiers.push(puzzleIdentifiers.length + 1);
      puzzleIndices.push(puzzleIndices[puzzleIndices.length - 1] + size);
    }
    groupIndices.push(puzzleIdentifiers.length);
  }
  const n = puzzleIndices[puzzleIndices.length - 1];
  const inputs = new Int32Array(n * seqLen);
  const labels = new Int32Array(n * seqLen);
  for (let i = 0; i < n * seqLen; i++) {
    inputs[i] = rng.int(1, vocab);
    labels[i] = rng.next() < 0.15 ? 0 : (inputs[i] % (vocab - 1)) + 1;
  }
  return {
    metadata: {
      padId: 0,
      ignoreLabelId: 0,
      blankIdentifierId: 0,
      vocabSize: vocab,
      seqLen,
      numPuzzleIdentifiers: puzzleIdentifiers.length + 1,
      totalGroups: groups.length,
      meanPuzzleExamples: n / puzzleIdentifiers.length,
      sets: ["all"],
    },
    inputs,
    labels,
    puzzleIdentifiers: Int32Array.from(puzzleIdentifiers),
    puzzleIndices: Int32Array.from(puzzleIndices),
    groupIndices: Int32Array.from(groupIndices),
  };
}
