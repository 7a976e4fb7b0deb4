import type { RecursiveReasoner } from "../reasoner/types";
import { swigluIntermediateSize } from "./swiglu";

/**
 * Parameters of a SwiGLU over `width` channels: gate_up_proj [2·inter, width] + down_proj [width, inter].
 *
 * @example
 * ```ts
 * swigluParameterCount(512, 4); // 2,359,296 (inter 1536)
 * swigluParameterCount(64, 4, 1); // 32,832 (inter 171)
 * ```
 */
export function swigluParameterCount(width: number, expansion: number, multiple = 256): number {
  const inter = swigluIntermediateSize(width, expansion, multiple);
  return width * 2 * inter + inter * width;
}

/**
 * Parameters of the reference attention: qkv_proj [3·H·head_dim, D] + o_proj [D, H·head_dim], with
 * head_dim = floor(D / H) and no biases.
 *
 * @example
 * ```ts
 * attentionParameterCount(512, 8); // 1,048,576
 * ```
 */
export function attentionParameterCount(hiddenSize: number, numHeads: number): number {
  const inner = Math.floor(hiddenSize / numHeads) * numHeads;
  return hiddenSize * 3 * inner + inner * hiddenSize;
}

/**
 * Parameters of one post-norm attention + SwiGLU block (RMSNorm has none).
 *
 * @example
 * ```ts
 * transformerBlockParameterCount(512, 8, 4); // 3,407,872
 * ```
 */
export function transformerBlockParameterCount(hiddenSize: number, numHeads: number, expansion: number, multiple = 256): number {
  return attentionParameterCount(hiddenSize, numHeads) + swigluParameterCount(hiddenSize, expansion, multiple);
}

/**
 * Trainable parameters of a {@link ReasonerIO}: embed_tokens + lm_head (V·D each), q_head (2·D + 2) and the
 * learned position table when used; the puzzle-embedding table and RoPE tables are buffers, not counted.
 *
 * @example
 * ```ts
 * reasonerIOParameterCount({ hiddenSize: 512, vocabSize: 11, positions: 82, learnedPositions: false }); // 12,290
 * ```
 */
export function reasonerIOParameterCount(options: {
  hiddenSize: number;
  vocabSize: number;
  /** Prefix + tokens (only read for learned positions). */
  positions: number;
  learnedPositions: boolean;
}): number {
  const d = options.hiddenSize;
  return 2 * options.vocabSize * d + (2 * d + 2) + (options.learnedPositions ? options.positions * d : 0);
}

/**
 * Trainable parameters of a built reasoner (the sum of its parameters' sizes): what the reference reports as
 * the size of `model.parameters()`, without buffers (H_init/L_init, the puzzle-embedding table).
 *
 * @example
 * ```ts
 * countParameters(model); // e.g. 27,275,266 for HRM on Sudoku
 * ```
 */
export function countParameters(model: Pick<RecursiveReasoner, "parameters">): number {
  let n = 0;
  for (const v of model.parameters().values()) n += v.size;
  return n;
}
