import { z } from "zod";

/**
 * zod fields, with the reference defaults, that the reference architectures' configs (TRM, its baseline, HRM)
 * share: the dataset sizes (`recurse train` fills `vocabSize`, `seqLen` and `numPuzzleIdentifiers` from the data
 * and `seed` from `--seed`), halting, the token loss, the RoPE base and the RMSNorm epsilon. Spread it last into
 * an architecture's `z.object`, after the fields of its own; a custom architecture can do the same.
 *
 * @example
 * ```ts
 * const schema = z.object({ hiddenSize: z.number().int().positive().default(64), ...reasonerConfigFields }).strict();
 * schema.parse({}).haltMaxSteps; // 16
 * ```
 */
export const reasonerConfigFields = {
  /** Token vocabulary (dataset dependent). */
  vocabSize: z.number().int().min(2).default(11),
  /** Tokens per example, without the puzzle prefix (dataset dependent). */
  seqLen: z.number().int().positive().default(81),
  /** Rows of the puzzle-embedding table (dataset dependent). */
  numPuzzleIdentifiers: z.number().int().min(1).default(1),
  /** Maximum supervision steps (reference `halt_max_steps`). */
  haltMaxSteps: z.number().int().min(1).default(16),
  /** Probability of a random minimum step count in training (reference `halt_exploration_prob`). */
  haltExplorationProb: z.number().min(0).max(1).default(0.1),
  /** Token loss (reference `loss_type`: stablemax_cross_entropy or softmax_cross_entropy). */
  loss: z.enum(["stablemax", "softmax"]).default("stablemax"),
  /** RoPE base (reference `rope_theta`). */
  ropeTheta: z.number().positive().default(10000),
  /** RMSNorm epsilon (reference `rms_norm_eps`). */
  rmsNormEps: z.number().positive().default(1e-5),
  /** Seeds the initialisation. */
  seed: z.number().int().default(0),
};
