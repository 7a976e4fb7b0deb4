import { z } from "zod";

/** Fields TRM and the single-pass baseline share (the reference's config names in camelCase). */
const sharedFields = {
  /** Width D of every position (reference `hidden_size`). */
  hiddenSize: z.number().int().positive(),
  /** Attention heads; head_dim = floor(hiddenSize / numHeads) (reference `num_heads`). */
  numHeads: z.number().int().positive(),
  /** SwiGLU expansion before the 2/3 and multiple-of-256 rounding (reference `expansion`). */
  expansion: z.number().positive(),
  /**
   * SwiGLU inner widths are ceiled to a multiple of this (the reference: 256). Small CPU models use 1: at hidden 64
   * the reference rounding makes every inner width 256 instead of 171, half again the FLOPs of each block.
   */
  swigluMultiple: z.number().int().min(1),
  /** Blocks in the network (reference `L_layers` for TRM, `H_layers` for the baseline). */
  layers: z.number().int().min(1),
  /** Prefix positions for the puzzle embedding; 0 derives ceil(puzzleEmbNdim / hiddenSize) (reference `puzzle_emb_len`). */
  puzzleEmbLen: z.number().int().min(0),
  /** Width of a puzzle-embedding row; absent means hiddenSize, 0 disables it (reference `puzzle_emb_ndim`). */
  puzzleEmbNdim: z.number().int().min(0).optional(),
  /** `rope`, `learned` (table added to x) or `none` (reference `pos_encodings`). */
  posEncodings: z.enum(["rope", "none", "learned"]),
  /** Token-mixing MLP over the sequence axis instead of attention: TRM-MLP (reference `mlp_t`). */
  mlpT: z.boolean(),
  /** Token vocabulary (dataset dependent). */
  vocabSize: z.number().int().min(2),
  /** Tokens per example, without the puzzle prefix (dataset dependent). */
  seqLen: z.number().int().positive(),
  /** Rows of the puzzle-embedding table (dataset dependent). */
  numPuzzleIdentifiers: z.number().int().min(1),
  /** Maximum supervision steps (reference `halt_max_steps`). */
  haltMaxSteps: z.number().int().min(1),
  /** Probability of a random minimum step count in training (reference `halt_exploration_prob`). */
  haltExplorationProb: z.number().min(0).max(1),
  /** Token loss (reference `loss_type`: stablemax_cross_entropy or softmax_cross_entropy). */
  loss: z.enum(["stablemax", "softmax"]),
  ropeTheta: z.number().positive(),
  rmsNormEps: z.number().positive(),
  /** Seeds the initialisation. */
  seed: z.number().int(),
};

/** Positions in front of the tokens: explicit, or ceil(ndim / hidden) when 0 (as the reference derives it). */
export function puzzlePrefixLength(c: { puzzleEmbLen: number; puzzleEmbNdim: number; hiddenSize: number }): number {
  return c.puzzleEmbLen > 0 ? c.puzzleEmbLen : Math.ceil(c.puzzleEmbNdim / c.hiddenSize);
}

/** The fields the cross-field checks read. */
interface SharedInput {
  hiddenSize: number;
  numHeads: number;
  puzzleEmbLen: number;
  puzzleEmbNdim?: number;
  posEncodings: "rope" | "none" | "learned";
  mlpT: boolean;
}

function checkShared(c: SharedInput, ctx: z.RefinementCtx): void {
  const ndim = c.puzzleEmbNdim ?? c.hiddenSize;
  const prefix = puzzlePrefixLength({ ...c, puzzleEmbNdim: ndim });
  if (ndim > prefix * c.hiddenSize) {
    ctx.addIssue({
      code: "custom",
      path: ["puzzleEmbLen"],
      message: `puzzleEmbLen ${c.puzzleEmbLen} × hiddenSize ${c.hiddenSize} cannot hold a puzzle embedding of ${ndim}; expected puzzleEmbLen ≥ ${Math.ceil(ndim / c.hiddenSize)} or 0`,
    });
  }
  if (!c.mlpT && Math.floor(c.hiddenSize / c.numHeads) < 1) {
    ctx.addIssue({ code: "custom", path: ["numHeads"], message: `numHeads ${c.numHeads} exceeds hiddenSize ${c.hiddenSize}` });
  }
  if (c.posEncodings === "rope" && !c.mlpT && Math.floor(c.hiddenSize / c.numHeads) % 2 !== 0) {
    ctx.addIssue({
      code: "custom",
      path: ["numHeads"],
      message: `RoPE needs an even head_dim; floor(hiddenSize / numHeads) = ${Math.floor(c.hiddenSize / c.numHeads)}`,
    });
  }
}

function withDerived<T extends { hiddenSize: number; puzzleEmbNdim?: number }>(c: T): Omit<T, "puzzleEmbNdim"> & { puzzleEmbNdim: number } {
  return { ...c, puzzleEmbNdim: c.puzzleEmbNdim ?? c.hiddenSize };
}

/**
 * TRM's config: the reference `config/arch/trm.yaml` defaults (hidden 512, 8 heads, T=3, n=6, 2 layers,
 * 16-position prefix, halting at 16 steps with exploration 0.1, stablemax) and Sudoku-Extreme data sizes.
 * Unknown keys are rejected.
 *
 * @example
 * ```ts
 * const config = trmConfigSchema.parse({ hiddenSize: 64, mlpT: true, posEncodings: "none", seqLen: 36, vocabSize: 8 });
 * config.puzzleEmbNdim; // 64 (defaults to hiddenSize)
 * ```
 */
export const trmConfigSchema = z
  .object({
    hiddenSize: sharedFields.hiddenSize.default(512),
    numHeads: sharedFields.numHeads.default(8),
    expansion: sharedFields.expansion.default(4),
    swigluMultiple: sharedFields.swigluMultiple.default(256),
    /** Outer cycles T per supervision step (reference `H_cycles`). */
    cycles: z.number().int().min(1).default(3),
    /** Latent updates n per cycle (reference `L_cycles`). */
    latentSteps: z.number().int().min(1).default(6),
    layers: sharedFields.layers.default(2),
    puzzleEmbLen: sharedFields.puzzleEmbLen.default(16),
    puzzleEmbNdim: sharedFields.puzzleEmbNdim,
    posEncodings: sharedFields.posEncodings.default("rope"),
    mlpT: sharedFields.mlpT.default(false),
    vocabSize: sharedFields.vocabSize.default(11),
    seqLen: sharedFields.seqLen.default(81),
    numPuzzleIdentifiers: sharedFields.numPuzzleIdentifiers.default(1),
    haltMaxSteps: sharedFields.haltMaxSteps.default(16),
    haltExplorationProb: sharedFields.haltExplorationProb.default(0.1),
    loss: sharedFields.loss.default("stablemax"),
    ropeTheta: sharedFields.ropeTheta.default(10000),
    rmsNormEps: sharedFields.rmsNormEps.default(1e-5),
    seed: sharedFields.seed.default(0),
  })
  .strict()
  .superRefine(checkShared)
  .transform(withDerived);

/** A validated TRM config (puzzleEmbNdim resolved). */
export type TrmConfig = z.output<typeof trmConfigSchema>;
/** What a user may write: every field optional. */
export type TrmConfigInput = z.input<typeof trmConfigSchema>;

/**
 * The single-pass "direct prediction" baseline's config: the same blocks, one pass y ← net(y + x) per supervision
 * step. Defaults follow the TRM repository's transformer baseline (8 layers, 12 heads, prefix derived = 1).
 *
 * @example
 * ```ts
 * const config = transformerBaselineConfigSchema.parse({ hiddenSize: 64, numHeads: 4, layers: 2 });
 * ```
 */
export const transformerBaselineConfigSchema = z
  .object({
    hiddenSize: sharedFields.hiddenSize.default(512),
    numHeads: sharedFields.numHeads.default(12),
    expansion: sharedFields.expansion.default(4),
    swigluMultiple: sharedFields.swigluMultiple.default(256),
    layers: sharedFields.layers.default(8),
    puzzleEmbLen: sharedFields.puzzleEmbLen.default(0),
    puzzleEmbNdim: sharedFields.puzzleEmbNdim,
    posEncodings: sharedFields.posEncodings.default("rope"),
    mlpT: sharedFields.mlpT.default(false),
    vocabSize: sharedFields.vocabSize.default(11),
    seqLen: sharedFields.seqLen.default(81),
    numPuzzleIdentifiers: sharedFields.numPuzzleIdentifiers.default(1),
    haltMaxSteps: sharedFields.haltMaxSteps.default(16),
    haltExplorationProb: sharedFields.haltExplorationProb.default(0.1),
    loss: sharedFields.loss.default("stablemax"),
    ropeTheta: sharedFields.ropeTheta.default(10000),
    rmsNormEps: sharedFields.rmsNormEps.default(1e-5),
    seed: sharedFields.seed.default(0),
  })
  .strict()
  .superRefine(checkShared)
  .transform(withDerived);

export type TransformerBaselineConfig = z.output<typeof transformerBaselineConfigSchema>;
export type TransformerBaselineConfigInput = z.input<typeof transformerBaselineConfigSchema>;

/** The fields the shared I/O and blocks read (both configs have them). */
export type BlockConfig = Pick<
  TrmConfig,
  | "hiddenSize"
  | "numHeads"
  | "expansion"
  | "swigluMultiple"
  | "layers"
  | "puzzleEmbLen"
  | "puzzleEmbNdim"
  | "posEncodings"
  | "mlpT"
  | "vocabSize"
  | "seqLen"
  | "numPuzzleIdentifiers"
  | "ropeTheta"
  | "rmsNormEps"
>;
