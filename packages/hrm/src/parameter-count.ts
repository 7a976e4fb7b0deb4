import { blockParameterCount, reasonerIOParameterCount } from "@recurse/core";
import { hrmPrefixLength, type HrmConfig } from "./config";

/**
 * Trainable parameters an HRM config gives, counted as the reference counts `model.parameters()`: token
 * embedding, lm_head, q_head, learned positions if any, and the hLayers + lLayers blocks; not the puzzle-embedding
 * table, H_init/L_init or the RoPE tables (buffers). Computed from shapes, without building the model.
 *
 * @example
 * ```ts
 * countHrmConfigParameters(hrmConfigSchema.parse(hrmPresets.sudoku)); // 27275266
 * ```
 */
export function countHrmConfigParameters(config: HrmConfig): number {
  const positions = config.seqLen + hrmPrefixLength(config);
  const io = reasonerIOParameterCount({
    hiddenSize: config.hiddenSize,
    vocabSize: config.vocabSize,
    positions,
    learnedPositions: config.posEncodings === "learned",
  });
  const block = blockParameterCount(config, positions);
  return io + (config.hLayers + config.lLayers) * block;
}
