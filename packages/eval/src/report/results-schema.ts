import { z } from "zod";

/** The schema id written into every results.json; bump the number on an incompatible change. */
export const RESULTS_SCHEMA_ID = "recurse.results/1";

/** A rate or count; null where it cannot be computed (JSON has no NaN). */
const metricValue = z.number().nullable();

const histogram = z.object({ step: z.array(z.number().int()), count: z.array(z.number().int().nonnegative()) });

export const StepCurveSchema = z.object({
  step: z.array(z.number().int().positive()),
  exact_accuracy: z.array(metricValue),
  token_accuracy: z.array(metricValue),
});

export const HaltingSummarySchema = z.object({
  steps_histogram: histogram,
  first_halt_histogram: histogram.extend({ never: z.number().int().nonnegative() }).nullable(),
  q_halt_accuracy_per_step: z.array(metricValue).nullable(),
});

/** One model evaluated on one dataset. */
export const ResultEntrySchema = z.object({
  model: z.string().min(1),
  dataset: z.string().min(1),
  /** Examples evaluated (after `limit`). */
  examples: z.number().int().nonnegative(),
  /** Supervision steps run per example (the evaluation's maximum). */
  steps: z.number().int().positive(),
  /** Every scalar metric of every evaluator, by metric name (`exact_accuracy`, `pass@2`, ...). */
  metrics: z.record(z.string(), metricValue),
  /** Accuracy after each supervision step, when the evaluation was traced. */
  curve: StepCurveSchema.nullable(),
  halting: HaltingSummarySchema.nullable(),
  /** The full result of each evaluator, by evaluator id (artifacts removed). */
  evaluators: z.record(z.string(), z.record(z.string(), z.unknown())),
  /** Files written beside results.json for this entry (e.g. submission.json), relative to it. */
  artifacts: z.array(z.string()),
  wallTimeSeconds: z.number().nonnegative(),
});

export const ModelInfoSchema = z.object({
  name: z.string().min(1),
  architecture: z.string(),
  config: z.record(z.string(), z.unknown()),
  /** Trainable parameters (the puzzle-embedding table excluded, as the reference counts). */
  parameterCount: z.number().int().nonnegative(),
  /** Where it came from (checkpoint directory), when known. */
  source: z.string().optional(),
});

export const DatasetInfoSchema = z.object({
  name: z.string().min(1),
  /** Dataset kind that built it (`sudoku`, `arc`), when recorded. */
  kind: z.string().nullable(),
  source: z.string().optional(),
  split: z.string().optional(),
  seqLen: z.number().int().positive(),
  vocabSize: z.number().int().positive(),
  /** Examples, puzzles and groups evaluated (after `limit`). */
  examples: z.number().int().nonnegative(),
  puzzles: z.number().int().nonnegative(),
  groups: z.number().int().nonnegative(),
  /** Examples in the whole split. */
  totalExamples: z.number().int().nonnegative(),
});

export const ResultsSchema = z
  .object({
    schema: z.literal(RESULTS_SCHEMA_ID),
    createdAt: z.iso.datetime(),
    wallTimeSeconds: z.number().nonnegative(),
    git: z.object({ revision: z.string().nullable(), dirty: z.boolean().nullable() }),
    /** Package versions: @recurse/*, @tensorflow/tfjs, node. */
    versions: z.record(z.string(), z.string()),
    engine: z.object({ engine: z.string(), backend: z.string(), threads: z.number().int().positive() }).nullable(),
    options: z.object({
      steps: z.number().int().positive().nullable(),
      limit: z.number().int().positive().nullable(),
      seed: z.number().int(),
      batchSize: z.number().int().positive(),
      trace: z.boolean(),
      evaluators: z.array(z.string()),
    }),
    models: z.array(ModelInfoSchema),
    datasets: z.array(DatasetInfoSchema),
    entries: z.array(ResultEntrySchema),
  })
  .superRefine((r, ctx) => {
    const models = new Set(r.models.map((m) => m.name));
    const datasets = new Set(r.datasets.map((d) => d.name));
    if (models.size !== r.models.length) ctx.addIssue({ code: "custom", path: ["models"], message: "model names must be unique" });
    if (datasets.size !== r.datasets.length) ctx.addIssue({ code: "custom", path: ["datasets"], message: "dataset names must be unique" });
    r.entries.forEach((e, i) => {
      if (!models.has(e.model)) ctx.addIssue({ code: "custom", path: ["entries", i, "model"], message: `unknown model '${e.model}'` });
      if (!datasets.has(e.dataset)) ctx.addIssue({ code: "custom", path: ["entries", i, "dataset"], message: `unknown dataset '${e.dataset}'` });
    });
  });

/** The content of results.json. */
export type Results = z.infer<typeof ResultsSchema>;
export type ResultEntry = z.infer<typeof ResultEntrySchema>;
export type ModelInfo = z.infer<typeof ModelInfoSchema>;
export type DatasetInfo = z.infer<typeof DatasetInfoSchema>;
