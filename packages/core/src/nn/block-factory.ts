import type { Rng } from "../rng";
import type { Block } from "./block";
import { attentionParameterCount, swigluParameterCount } from "./parameter-count";
import { TokenMixingBlock } from "./token-mixing-block";
import { TransformerBlock } from "./transformer-block";

/** Which post-norm block an architecture's networks are made of, and its widths. */
export interface BlockKind {
  hiddenSize: number;
  /** Attention heads (ignored when `mlpT`). */
  numHeads: number;
  expansion: number;
  /** SwiGLU inner widths are ceiled to a multiple of this; the reference's is 256. */
  swigluMultiple?: number;
  rmsNormEps?: number;
  /** Token-mixing SwiGLU over the sequence axis instead of attention (TRM's `mlp_t`). */
  mlpT: boolean;
}

/**
 * The block constructor every architecture's {@link ReasoningModule}s take: attention + SwiGLU, or (`mlpT`)
 * token-mixing SwiGLU over `positions` + SwiGLU. One place, so TRM, HRM and the baseline can be compared with the
 * same blocks and only the recursion differing.
 *
 * @example
 * ```ts
 * const net = new ReasoningModule("inner.L_level", 2, blockFactory({ hiddenSize: 64, numHeads: 4, expansion: 4, mlpT: true }, 37, rng));
 * ```
 */
export function blockFactory(kind: BlockKind, positions: number, rng: Rng): (name: string) => Block {
  const common = { hiddenSize: kind.hiddenSize, expansion: kind.expansion, swigluMultiple: kind.swigluMultiple, rmsNormEps: kind.rmsNormEps, rng };
  return (name) =>
    kind.mlpT ? new TokenMixingBlock(name, { ...common, positions }) : new TransformerBlock(name, { ...common, numHeads: kind.numHeads });
}

/**
 * The position encoding a `ReasonerIO` should build for blocks of this kind: token-mixing blocks never read
 * RoPE tables, so a `rope` config of theirs asks for none.
 *
 * @example
 * ```ts
 * ioPosEncodings({ ...kind, mlpT: true, posEncodings: "rope" }); // "none"
 * ```
 */
export function ioPosEncodings<P extends "rope" | "learned" | "none">(kind: { mlpT: boolean; posEncodings: P }): P | "none" {
  return kind.mlpT && kind.posEncodings === "rope" ? "none" : kind.posEncodings;
}

/**
 * Parameters of one block of that kind (RMSNorm has none), from shapes alone.
 *
 * @example
 * ```ts
 * blockParameterCount({ hiddenSize: 512, numHeads: 8, expansion: 4, mlpT: false }, 82); // 3,407,872
 * ```
 */
export function blockParameterCount(kind: BlockKind, positions: number): number {
  const multiple = kind.swigluMultiple ?? 256;
  const mixing = kind.mlpT ? swigluParameterCount(positions, kind.expansion, multiple) : attentionParameterCount(kind.hiddenSize, kind.numHeads);
  return mixing + swigluParameterCount(kind.hiddenSize, kind.expansion, multiple);
}
