import { reasonerConfigFields } from "@recurse/core";
import { z } from "zod";

/** The defaults in which TRM and the single-pass baseline differ. */
interface ArchitectureDefaults {
  numHeads: number;
  layers: number;
  puzzleEmbLen: number;
}

/**
 * The fields TRM and the baseline share (the reference's config names in camelCase; the dataset, halting and
 * numerics fields from core), with `own` (TRM's recursion fields) placed after the block sizes so parsed configs
 * keep their field order.
 */
function configShape<Own extends z.ZodRawShape>(defaults: ArchitectureDefaults, own: Own) {
  return {
    /** Width D of every position (reference `hidden_size`). */
    hiddenSize: z.number().int().positive().default(512),
    /** Attention heads; head_dim = floor(hiddenSize / numHeads) (reference `num_heads`). */
    numHeads: z.number().int().positive().default(defaults.numHeads),
    /** SwiGLU expansion before the 2/3 and multiple-of-256 rounding (reference `expansion`). */
    expansion: z.number().positive().default(4),
    /**
     * SwiGLU inner widths are ceiled to a multiple of this (the reference: 256). Small CPU models use 1: at hidden 64
     * the reference rounding makes every inner width 256 instead of 171, half again the FLOPs of each block.
     */
    swigluMultiple: z.number().int().min(1).default(256),
    ...own,
    /** Blocks in the network (reference `L_layers` for TRM, `H_layers` for the baseline). */
    layers: z.number().int().min(1).default(defaults.layers),
    /** Prefix positions for the puzzle embedding; 0 derives ceil(puzzleEmbNdim / hiddenSize) (reference `puzzle_emb_len`). */
    puzzleEmbLen: z.number().int().min(0).default(defaults.puzzleEmbLen),
    /** Width of a puzzle-embedding row; absent means hiddenSize, 0 disables it (reference `puzzle_emb_ndim`). */
    puzzleEmbNdim: z.number().int().min(0).optional(),
    /** `rope`, `learned` (table added to x) or `none` (reference `pos_encodings`). */
    posEncodings: z.enum(["rope", "none", "learned"]).default("rope"),
    /** Token-mixing MLP over the sequence axis instead of attention: TRM-MLP (reference `mlp_t`). */
    mlpT: z.boolean().default(false),
    ...reasonerConfigFields,
  };
}

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
  .object(
    configShape(
      { numHeads: 8, layers: 2, puzzleEmbLen: 16 },
      {
        /** Outer cycles T per supervision step (reference `H_cycles`). */
        cycles: z.number().int().min(1).default(3),
        /** Latent updates n per cycle (reference `L_cycles`). */
        latentSteps: z.number().int().min(1).default(6),
      },
    ),
  )
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
  .object(configShape({ numHeads: 12, layers: 8, puzzleEmbLen: 0 }, {}))
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
