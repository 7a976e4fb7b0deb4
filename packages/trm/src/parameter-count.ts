import { blockParameterCount, reasonerIOParameterCount } from "@recurse/core";
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
  const block = blockParameterCount(config, positions);
  const io = reasonerIOParameterCount({
    hiddenSize: d,
    vocabSize: config.vocabSize,
    positions,
    learnedPositions: config.posEncodings === "learned",
  });
  return io + config.layers * block;
}
