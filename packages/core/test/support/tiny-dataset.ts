/** Small synthetic reference-format splits for engine tests. Test support only. */
import { Rng, type PuzzleDatasetSplit } from "@recurse/core";
import { splitOfGroups } from "../../../../test/reliability/support/tiny-model.mjs";

/**
 * A split whose groups hold puzzles with the given example counts, e.g. `[[2, 1], [3]]` = group 0 with two
 * puzzles (2 and 1 examples), group 1 with one puzzle of 3 examples. Labels: a fixed token map of the inputs
 * (`(v mod (vocab−1)) + 1`), with `ignoreLabelId` 0 at random positions. The builder is the reliability tests'
 * (plain JavaScript, so their child processes can run it too).
 */
export function makeSplit(groups: number[][], options: { seqLen?: number; vocab?: number; seed?: number } = {}): PuzzleDatasetSplit {
  return splitOfGroups(groups, { seqLen: options.seqLen ?? 4, vocab: options.vocab ?? 5, rng: new Rng(options.seed ?? 9) }) as PuzzleDatasetSplit;
}
