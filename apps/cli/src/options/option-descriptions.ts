/**
 * Help texts for the dataset build options of the built-in datasets, keyed by option path. Schemas may carry
 * their own (`z.number().describe("...")`), which win; this table covers schemas documented only in TSDoc.
 */
const DESCRIPTIONS: Record<string, string> = {
  inputs: "puzzle file or directory",
  trainSize: "seeded subsample of this many training puzzles",
  testSize: "number of test puzzles",
  augmentations: "augmented versions per training puzzle besides the original",
  testOnly: "put every input into the test split, untouched",
  generate: "generate this many training puzzles",
  "generate.size": "grid size N (4, 6, 9, 16)",
  "generate.givens": "givens per generated puzzle (default: minimal puzzles)",
  "generate.testCount": "generated test puzzles",
  "generate.boxRows": "box rows (box shape override)",
  "generate.boxCols": "box columns (box shape override)",
  leaks: "test puzzles equivalent to a training puzzle: keep, drop or error",
  verifyUnique: "prove given answers unique with the solver",
  seed: "random seed of the build",
  out: "output directory",
  testSet: "subset(s) whose test pairs are evaluated",
  leakFree: "keep test-set puzzles out of training entirely",
  translate: "random translation of training examples",
  overlaps: "training pairs equal to a test answer: keep, drop or error",
};

export function optionDescription(path: string[], fromSchema: string): string {
  return fromSchema || DESCRIPTIONS[path.join(".")] || "";
}
