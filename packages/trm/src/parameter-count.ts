import { swigluIntermediateSize, type RecursiveReasoner } from "@recurse/core";
import { puzzlePrefixLength, type BlockConfig } from "./config";

function swigluParams(width: number, expansion: number): number {
  const inter = swigluIntermediateSize(width, expansion);
  return width * 2 * inter + inter * width; // gate_up_proj + down_proj
}

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
  let block = swigluParams(d, config.expansion);
  if (config.mlpT) {
    block += swigluParams(positions, config.expansion);
  } else {
    const inner = Math.floor(d / config.numHeads) * config.numHeads;
    block += d * 3 * inner + inner * d; // qkv_proj + o_proj
  }
  const io = 2 * config.vocabSize * d + (2 * d + 2) + (config.posEncodings === "learned" ? positions * d : 0);
  return io + config.layers * block;
}

/** Trainable parameters of a built reasoner (sum of its parameters' sizes). */
export function countParameters(model: RecursiveReasoner): number {
  let n = 0;
  for (const v of model.parameters().values()) n += v.size;
  return n;
}
