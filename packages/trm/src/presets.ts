import type { TransformerBaselineConfigInput, TrmConfigInput } from "./config";

/**
 * TRM presets. The paper's configs (reference `config/arch/trm.yaml` + README commands) with each task's data
 * sizes, and small CPU ones. ARC's `numPuzzleIdentifiers` depends on the built dataset: take it from the data.
 */
export const trmPresets = {
  /** TRM-MLP on Sudoku-Extreme: token-mixing MLP, no positional encoding; 5,028,866 parameters. */
  "sudoku-mlp": {
    hiddenSize: 512, numHeads: 8, expansion: 4, cycles: 3, latentSteps: 6, layers: 2, puzzleEmbLen: 16,
    posEncodings: "none", mlpT: true, vocabSize: 11, seqLen: 81, numPuzzleIdentifiers: 1,
    haltMaxSteps: 16, haltExplorationProb: 0.1,
  },
  /** TRM-Att on Sudoku-Extreme; 6,828,034 parameters. */
  "sudoku-att": {
    hiddenSize: 512, numHeads: 8, expansion: 4, cycles: 3, latentSteps: 6, layers: 2, puzzleEmbLen: 16,
    posEncodings: "rope", mlpT: false, vocabSize: 11, seqLen: 81, numPuzzleIdentifiers: 1,
    haltMaxSteps: 16, haltExplorationProb: 0.1,
  },
  /** TRM-Att on Maze-Hard 30×30 (README: L_cycles 4); 6,822,914 parameters. */
  maze: {
    hiddenSize: 512, numHeads: 8, expansion: 4, cycles: 3, latentSteps: 4, layers: 2, puzzleEmbLen: 16,
    posEncodings: "rope", mlpT: false, vocabSize: 6, seqLen: 900, numPuzzleIdentifiers: 1,
    haltMaxSteps: 16, haltExplorationProb: 0.1,
  },
  /** TRM-Att on ARC-AGI 30×30 (README: L_cycles 4); 6,829,058 parameters. */
  arc: {
    hiddenSize: 512, numHeads: 8, expansion: 4, cycles: 3, latentSteps: 4, layers: 2, puzzleEmbLen: 16,
    posEncodings: "rope", mlpT: false, vocabSize: 12, seqLen: 900, numPuzzleIdentifiers: 1,
    haltMaxSteps: 16, haltExplorationProb: 0.1,
  },
  /** Test-sized TRM-Att, the fixtures' shapes (hidden 32, 2 heads, 16 tokens, prefix 4). */
  tiny: {
    hiddenSize: 32, numHeads: 2, expansion: 4, cycles: 2, latentSteps: 2, layers: 2, puzzleEmbLen: 4,
    posEncodings: "rope", mlpT: false, vocabSize: 12, seqLen: 16, numPuzzleIdentifiers: 4,
    haltMaxSteps: 4, haltExplorationProb: 0.1,
  },
  /** CPU recipe for 6×6 Sudoku: TRM-MLP, hidden 64, 2 blocks, T=3, n=6. */
  "sudoku6-mlp": {
    hiddenSize: 64, numHeads: 4, expansion: 4, cycles: 3, latentSteps: 6, layers: 2, puzzleEmbLen: 16,
    posEncodings: "none", mlpT: true, vocabSize: 8, seqLen: 36, numPuzzleIdentifiers: 1,
    haltMaxSteps: 16, haltExplorationProb: 0.1,
  },
  /**
   * recipes/trm-mlp (6×6 Sudoku on 2 CPU cores): `sudoku6-mlp` with SwiGLU widths not rounded up to 256 (171 and
   * 99 instead of 256), one zero prefix position instead of a 16-position puzzle embedding (the dataset has one
   * puzzle identifier) and softmax cross-entropy; 88,796 parameters, about 2.7× fewer FLOPs per step.
   */
  "sudoku6-mlp-lite": {
    hiddenSize: 64, numHeads: 4, expansion: 4, swigluMultiple: 1, cycles: 3, latentSteps: 6, layers: 2,
    puzzleEmbLen: 1, puzzleEmbNdim: 0, posEncodings: "none", mlpT: true, vocabSize: 8, seqLen: 36,
    numPuzzleIdentifiers: 1, haltMaxSteps: 16, haltExplorationProb: 0.1, loss: "softmax",
  },
  /** recipes/trm-att: `sudoku6-mlp-lite` with attention (4 heads, RoPE) instead of the token-mixing MLP; 99,586 parameters. */
  "sudoku6-att-lite": {
    hiddenSize: 64, numHeads: 4, expansion: 4, swigluMultiple: 1, cycles: 3, latentSteps: 6, layers: 2,
    puzzleEmbLen: 1, puzzleEmbNdim: 0, posEncodings: "rope", mlpT: false, vocabSize: 8, seqLen: 36,
    numPuzzleIdentifiers: 1, haltMaxSteps: 16, haltExplorationProb: 0.1, loss: "softmax",
  },
} satisfies Record<string, TrmConfigInput>;

/**
 * Baseline presets: the TRM repository's transformer baseline on ARC (8 layers, 12 heads: 27,145,218
 * parameters) and small CPU ones. `sudoku6` uses TRM `sudoku6-mlp`'s blocks and parameter count, so the two
 * differ only in the recursion.
 */
export const transformerBaselinePresets = {
  arc: {
    hiddenSize: 512, numHeads: 12, expansion: 4, layers: 8, puzzleEmbLen: 0, posEncodings: "rope", mlpT: false,
    vocabSize: 12, seqLen: 900, numPuzzleIdentifiers: 1, haltMaxSteps: 16, haltExplorationProb: 0.1,
  },
  tiny: {
    hiddenSize: 32, numHeads: 2, expansion: 4, layers: 2, puzzleEmbLen: 4, posEncodings: "rope", mlpT: false,
    vocabSize: 12, seqLen: 16, numPuzzleIdentifiers: 4, haltMaxSteps: 4, haltExplorationProb: 0.1,
  },
  sudoku6: {
    hiddenSize: 64, numHeads: 4, expansion: 4, layers: 2, puzzleEmbLen: 16, posEncodings: "none", mlpT: true,
    vocabSize: 8, seqLen: 36, numPuzzleIdentifiers: 1, haltMaxSteps: 16, haltExplorationProb: 0.1,
  },
  /**
   * recipes/baseline (6×6 Sudoku on 2 CPU cores): one pass through 8 of TRM `sudoku6-mlp-lite`'s blocks (4× its
   * parameters: 351,722) and a single supervision step: no recursion and no deep supervision.
   */
  "sudoku6-lite": {
    hiddenSize: 64, numHeads: 4, expansion: 4, swigluMultiple: 1, layers: 8, puzzleEmbLen: 1, puzzleEmbNdim: 0,
    posEncodings: "none", mlpT: true, vocabSize: 8, seqLen: 36, numPuzzleIdentifiers: 1, haltMaxSteps: 1,
    haltExplorationProb: 0, loss: "softmax",
  },
} satisfies Record<string, TransformerBaselineConfigInput>;
