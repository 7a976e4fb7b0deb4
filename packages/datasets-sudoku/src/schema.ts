import { z } from "zod";
import { MAX_SUDOKU_SIZE } from "./shape";

/** Options of `generate` builds: COUNT training puzzles of size N with K givens. */
export const sudokuGenerateSchema = z
  .object({
    /** Training puzzles to generate (distinct up to symmetry). */
    count: z.number().int().min(1).max(10_000_000),
    /** Grid size N: 4 (2x2 boxes), 6 (2x3), 9 (3x3), 16 (4x4); other N up to 16 use {@link boxForSize}. */
    size: z.number().int().min(2).max(MAX_SUDOKU_SIZE),
    /** Givens per puzzle; omitted: minimal puzzles (no given removable). */
    givens: z.number().int().min(0).optional(),
    /** Test puzzles (from a different seed, none equivalent to a training puzzle); default min(count, 1000). */
    testCount: z.number().int().min(0).optional(),
    /** Box shape override (e.g. 3x2 instead of 2x3); must multiply to `size`. */
    boxRows: z.number().int().min(1).optional(),
    boxCols: z.number().int().min(1).optional(),
  })
  .strict();

/**
 * Options of the `sudoku` dataset build (`recurse data build sudoku`), validated before the build starts.
 * Either `inputs` (puzzle files) or `generate`.
 */
export const sudokuBuildSchema = z
  .object({
    /**
     * Puzzle files: Sudoku-Extreme CSVs (`source,question,answer,rating`) or one-puzzle-per-line banks. A file whose
     * name is `test.*` or ends in `_test.*`/`-test.*` fills the test split; the others fill training.
     */
    inputs: z.array(z.string().min(1)).default([]),
    /** Seeded subsample of this many training puzzles (default: all). */
    trainSize: z.number().int().min(1).optional(),
    /**
     * Test puzzles. With a test file: a seeded subsample of it (default: all of it). Without one: this many puzzles
     * held out of the inputs, none equivalent under symmetry to a training puzzle (default: min(1000, 10%)).
     */
    testSize: z.number().int().min(0).optional(),
    /** Augmented versions per training puzzle besides the original (the reference recipe uses 1000). */
    augmentations: z.number().int().min(0).max(100_000).default(0),
    /** Every input goes to the test split untouched; no training split is written. */
    testOnly: z.boolean().default(false),
    generate: sudokuGenerateSchema.optional(),
    /**
     * Test puzzles equivalent under symmetry to a training puzzle when the test split comes from a test file:
     * `keep` (the reference, which trusts its split), `drop` them, or fail (`error`). Held-out and generated test
     * splits never contain them.
     */
    leaks: z.enum(["keep", "drop", "error"]).default("keep"),
    /** Also prove the given answers unique with the solver (missing answers are always solved, which proves it). */
    verifyUnique: z.boolean().default(false),
    seed: z.number().int().min(0).max(0xffffffff).default(42),
    out: z.string().min(1),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.generate && v.inputs.length > 0) {
      ctx.addIssue({ code: "custom", path: ["generate"], message: "use either inputs or generate, not both" });
    }
    if (!v.generate && v.inputs.length === 0) {
      ctx.addIssue({ code: "custom", path: ["inputs"], message: "give at least one puzzle file, or generate options" });
    }
    if (v.generate && v.testOnly) {
      ctx.addIssue({ code: "custom", path: ["testOnly"], message: "testOnly applies to input files, not to generate" });
    }
    const g = v.generate;
    if (g && (g.boxRows !== undefined || g.boxCols !== undefined)) {
      if (g.boxRows === undefined || g.boxCols === undefined || g.boxRows * g.boxCols !== g.size) {
        ctx.addIssue({ code: "custom", path: ["generate", "boxRows"], message: `boxRows x boxCols must both be given and multiply to size ${g.size}` });
      }
    }
    if (g && g.givens !== undefined && g.givens > g.size * g.size) {
      ctx.addIssue({ code: "custom", path: ["generate", "givens"], message: `at most ${g.size * g.size} givens fit a ${g.size}x${g.size} grid` });
    }
  });

/** Parsed options of the `sudoku` build. */
export type SudokuBuildOptions = z.infer<typeof sudokuBuildSchema>;
/** Options as a caller writes them (defaults optional). */
export type SudokuBuildInput = z.input<typeof sudokuBuildSchema>;
