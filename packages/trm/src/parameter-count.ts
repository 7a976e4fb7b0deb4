import { reasonerIOParameterCount, swigluParameterCount, transformerBlockParameterCount } from "@recurse/core";
import { puzzlePrefixLength, type BlockConfig } from "./config";

/**
 * Trainable parameters a config gives, counted as the reference counts `model.parameters()`: embeddings, heads
 * and blocks; not the puzzle-embedding table, H_init/L_init or the RoPE tables (buffers). Computed from shapes,
 * without building the model.
 *
 * @example
 * ```ts
 * countConfigParameters(trmConfigSchema.parse(trmPresets["sudoku-att"])); // 6828034
 * ```
 */
export function countConfigParameters(config: BlockConfig): number {
  const d = config.hiddenSize;
  const positions = config.seqLen + puzzlePrefixLength(config);
  // TRM-MLP swaps attention for a token-mixing SwiGLU over the positions axis.
  const block = config.mlpT
    ? swigluParameterCount(d, config.expansion, config.swigluMultiple) + swigluParameterCount(positions, config.expansion, config.swigluMultiple)
    : transformerBlockParameterCount(d, config.numHeads, config.expansion, config.swigluMultiple);
  const io = reasonerIOParameterCount({
    hiddenSize: d,
    vocabSize: config.vocabSize,
    positions,
    learnedPositions: config.posEncodings === "learned",
  });
  return io + config.layers * block;
}
