import { reasonerConfigFields } from "@recurse/core";
import { z } from "zod";

/** Prefix positions of HRM: ceil(puzzle_emb_ndim / hidden_size), as the reference always derives it (1 by default). */
export function hrmPrefixLength(c: { puzzleEmbNdim: number; hiddenSize: number }): number {
  return Math.ceil(c.puzzleEmbNdim / c.hiddenSize);
}

/**
 * HRM's config: the reference `config/arch/hrm_v1.yaml` defaults (hidden 512, 8 heads, expansion 4,
 * H_cycles = L_cycles = 2, H_layers = L_layers = 4, RoPE, halting at 16 steps with exploration 0.1, stablemax)
 * and Sudoku-Extreme data sizes. Names are the reference's in camelCase; `cycles` is H_cycles and `latentSteps`
 * is L_cycles, as in TRM's config. Unknown keys are rejected.
 *
 * HRM trains without EMA (the reference has none): leave the trainer's `ema` unset.
 *
 * @example
 * ```ts
 * const config = hrmConfigSchema.parse({ hiddenSize: 64, numHeads: 4, hLayers: 2, lLayers: 2, seqLen: 36, vocabSize: 8 });
 * config.puzzleEmbNdim; // 64 (defaults to hiddenSize), so the prefix is 1 position
 * ```
 */
export const hrmConfigSchema = z
  .object({
    /** Width D of every position (reference `hidden_size`). */
    hiddenSize: z.number().int().positive().default(512),
    /** Attention heads; head_dim = floor(hiddenSize / numHeads) (reference `num_heads`). */
    numHeads: z.number().int().positive().default(8),
    /** SwiGLU expansion before the 2/3 and multiple-of-256 rounding (reference `expansion`). */
    expansion: z.number().positive().default(4),
    /** SwiGLU inner widths are ceiled to a multiple of this: the reference's 256; small CPU models use less. */
    swigluMultiple: z.number().int().min(1).default(256),
    /**
     * Token-mixing SwiGLU over the sequence axis instead of attention in both modules (TRM-MLP's block; not in the
     * HRM reference), so HRM and TRM can be compared with the same blocks and only the recursion differing.
     */
    mlpT: z.boolean().default(false),
    /** High-level cycles T per supervision step, one H update each (reference `H_cycles`). */
    cycles: z.number().int().min(1).default(2),
    /** Low-level updates per cycle (reference `L_cycles`; the k of the TRM paper's Table 3). */
    latentSteps: z.number().int().min(1).default(2),
    /** Blocks of the high-level module `H_level` (reference `H_layers`). */
    hLayers: z.number().int().min(1).default(4),
    /** Blocks of the low-level module `L_level` (reference `L_layers`). */
    lLayers: z.number().int().min(1).default(4),
    /** Width of a puzzle-embedding row; absent means hiddenSize, 0 disables it (reference `puzzle_emb_ndim`). */
    puzzleEmbNdim: z.number().int().min(0).optional(),
    /** `rope` or `learned` (reference `pos_encodings`), or `none` (only sensible with `mlpT`). */
    posEncodings: z.enum(["rope", "learned", "none"]).default("rope"),
    ...reasonerConfigFields,
  })
  .strict()
  .superRefine((c, ctx) => {
    const headDim = Math.floor(c.hiddenSize / c.numHeads);
    if (c.mlpT) return; // no attention: heads and RoPE are not read
    if (headDim < 1) {
      ctx.addIssue({ code: "custom", path: ["numHeads"], message: `numHeads ${c.numHeads} exceeds hiddenSize ${c.hiddenSize}` });
    } else if (c.posEncodings === "rope" && headDim % 2 !== 0) {
      ctx.addIssue({ code: "custom", path: ["numHeads"], message: `RoPE needs an even head_dim; floor(hiddenSize / numHeads) = ${headDim}` });
    }
  })
  .transform((c) => ({ ...c, puzzleEmbNdim: c.puzzleEmbNdim ?? c.hiddenSize }));

/** A validated HRM config (puzzleEmbNdim resolved). */
export type HrmConfig = z.output<typeof hrmConfigSchema>;
/** What a user may write: every field optional. */
export type HrmConfigInput = z.input<typeof hrmConfigSchema>;
