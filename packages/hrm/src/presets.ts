import type { HrmConfigInput } from "./config";

/**
 * HRM presets. The paper's configs (reference `config/arch/hrm_v1.yaml`: hidden 512, 8 heads, H_cycles =
 * L_cycles = 2, 4 + 4 blocks) with each task's data sizes, and small CPU ones. Parameter counts are
 * `model.parameters()` as the reference counts them (no puzzle-embedding table, no H_init/L_init). ARC's
 * `numPuzzleIdentifiers` depends on the built dataset: take it from the data. None of them uses EMA: HRM trains
 * without it (leave the trainer's `ema` unset).
 */
export const hrmPresets = {
  /** HRM on Sudoku-Extreme (vocab 11, 81 cells); 27,275,266 parameters. */
  sudoku: {
    hiddenSize: 512, numHeads: 8, expansion: 4, cycles: 2, latentSteps: 2, hLayers: 4, lLayers: 4,
    posEncodings: "rope", vocabSize: 11, seqLen: 81, numPuzzleIdentifiers: 1, haltMaxSteps: 16, haltExplorationProb: 0.1,
  },
  /** HRM on ARC-AGI 30×30 (vocab 12); 27,276,290 parameters. */
  arc: {
    hiddenSize: 512, numHeads: 8, expansion: 4, cycles: 2, latentSteps: 2, hLayers: 4, lLayers: 4,
    posEncodings: "rope", vocabSize: 12, seqLen: 900, numPuzzleIdentifiers: 1, haltMaxSteps: 16, haltExplorationProb: 0.1,
  },
  /** HRM on Maze-Hard 30×30 (vocab 6); 27,270,146 parameters. */
  maze: {
    hiddenSize: 512, numHeads: 8, expansion: 4, cycles: 2, latentSteps: 2, hLayers: 4, lLayers: 4,
    posEncodings: "rope", vocabSize: 6, seqLen: 900, numPuzzleIdentifiers: 1, haltMaxSteps: 16, haltExplorationProb: 0.1,
  },
  /** Test-sized HRM, the reference fixtures' shapes (hidden 32, 2 heads, 1 + 1 blocks, 16 tokens, 3 steps). */
  tiny: {
    hiddenSize: 32, numHeads: 2, expansion: 4, cycles: 2, latentSteps: 2, hLayers: 1, lLayers: 1,
    posEncodings: "rope", vocabSize: 12, seqLen: 16, numPuzzleIdentifiers: 4, haltMaxSteps: 3, haltExplorationProb: 0.1,
  },
  /** CPU recipe for 6×6 Sudoku (36 cells, vocab 8): hidden 64, 4 heads, 2 + 2 blocks; 263,298 parameters. */
  sudoku6: {
    hiddenSize: 64, numHeads: 4, expansion: 4, cycles: 2, latentSteps: 2, hLayers: 2, lLayers: 2,
    posEncodings: "rope", vocabSize: 8, seqLen: 36, numPuzzleIdentifiers: 1, haltMaxSteps: 16, haltExplorationProb: 0.1,
  },
  /**
   * recipes/hrm-mlp: HRM's two-level recursion (2 + 2 blocks, H_cycles = L_cycles = 2, 1-step gradient) built from
   * TRM `sudoku6-mlp-lite`'s token-mixing blocks, so the 6×6 comparison differs only in the recursion; 176,438 parameters.
   */
  "sudoku6-mlp-lite": {
    hiddenSize: 64, numHeads: 4, expansion: 4, swigluMultiple: 1, mlpT: true, cycles: 2, latentSteps: 2, hLayers: 2,
    lLayers: 2, posEncodings: "none", vocabSize: 8, seqLen: 36, numPuzzleIdentifiers: 1, haltMaxSteps: 16,
    haltExplorationProb: 0.1, loss: "softmax",
  },
} satisfies Record<string, HrmConfigInput>;
