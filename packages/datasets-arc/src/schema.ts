import { z } from "zod";

/**
 * Options of the `arc` dataset build (`recurse data build arc`), validated before the build starts. Mirrors
 * {@link ArcBuildOptions} with the defaults filled.
 */
export const arcBuildSchema = z
  .object({
    /** Task directories (recursive), task files or Kaggle-style `…_challenges.json` files. */
    inputs: z.array(z.string().min(1)).min(1),
    /** Subset(s) whose test pairs are evaluated. */
    testSet: z.union([z.string().min(1), z.array(z.string().min(1))]).default("evaluation"),
    /** Augmented versions per puzzle besides the original. */
    augmentations: z.number().int().min(0).max(100_000).default(1000),
    /** Keep test-set puzzles out of training entirely. */
    leakFree: z.boolean().default(false),
    seed: z.number().int().min(0).max(0xffffffff).default(42),
    /** Random translation of training examples. */
    translate: z.boolean().default(true),
    /** Training pairs equal to a test answer: keep (reference mode's default), drop (leak-free default) or error. */
    overlaps: z.enum(["keep", "drop", "error"]).optional(),
    out: z.string().min(1),
  })
  .strict();

/** Parsed options of the `arc` build. */
export type ArcBuildSchemaOptions = z.infer<typeof arcBuildSchema>;
