import { ConfigError, type EvaluationOutput, type EvaluatorSpec, type PuzzleDatasetSplit, type RecursiveReasoner } from "@recurse/core";
import { defaultEvaluators } from "../plugin";
import type { ResultEntry } from "../report/results-schema";
import { defaultRunner } from "./default-runner";
import type { DatasetInput, EvaluationRunner, ModelInput } from "./inputs";
import { scoreOutput } from "./score-output";
import { subsetSplit } from "./subset";

/** Above this many traced values (examples × seqLen × steps), `trace: "auto"` leaves tracing off (about 256 MB). */
export const AUTO_TRACE_LIMIT = 64 * 1024 * 1024;

export interface EvaluateOptions {
  /** Supervision steps per example (default: the model's `halting.maxSteps`, 16 in the papers). */
  steps?: number;
  /** Evaluate at most this many groups (puzzles before augmentation), a seeded subset; default all. */
  limit?: number | null;
  /** Seed of the `limit` subset (default 0). */
  seed?: number;
  /** Examples per forward pass (default 256). */
  batchSize?: number;
  /** Evaluators to run (default: {@link defaultEvaluators}); those whose `appliesTo` rejects the dataset are skipped. */
  evaluators?: EvaluatorSpec[];
  /**
   * Record every supervision step: needed for the per-step curve and the first-halt histogram. `auto` (default)
   * traces unless the trace would exceed {@link AUTO_TRACE_LIMIT} values.
   */
  trace?: boolean | "auto";
  onProgress?: (done: number, total: number) => void;
  /** The batched evaluation to run (default: core's). */
  runner?: EvaluationRunner;
}

/** One model on one dataset: the results.json entry, the artifact files per evaluator, and the raw output. */
export interface ModelEvaluation {
  entry: ResultEntry;
  /** Evaluator id → file name → JSON value (e.g. `arc-voting` → `submission.json`). */
  artifacts: Record<string, Record<string, unknown>>;
  output: EvaluationOutput;
  /** The (possibly subset) split that was evaluated. */
  split: PuzzleDatasetSplit;
}

const asModel = (m: RecursiveReasoner | ModelInput): ModelInput => ("model" in m ? m : { name: m.architecture, model: m });
const asDataset = (d: PuzzleDatasetSplit | DatasetInput): DatasetInput => ("split" in d ? d : { name: d.metadata.recurse?.dataset ?? "dataset", split: d });

/**
 * Steps and trace setting resolved for a model and split.
 *
 * @example
 * ```ts
 * resolveRun(model, split, { trace: "auto" }); // { steps: 16, trace: true }
 * ```
 */
export function resolveRun(model: RecursiveReasoner, split: PuzzleDatasetSplit, options: EvaluateOptions): { steps: number; trace: boolean } {
  const steps = options.steps ?? model.halting.maxSteps;
  if (!Number.isInteger(steps) || steps < 1) throw new ConfigError(`steps must be a positive integer, got ${steps}`, { field: "steps" });
  const examples = split.puzzleIndices[split.puzzleIndices.length - 1];
  const trace = options.trace === undefined || options.trace === "auto" ? examples * split.metadata.seqLen * steps <= AUTO_TRACE_LIMIT : options.trace;
  return { steps, trace };
}

/**
 * Evaluate one model on one dataset split and score the output with the evaluators.
 *
 * @example
 * ```ts
 * const split = await readPuzzleDataset("data/sudoku", "test");
 * const { entry } = await evaluate({ name: "trm", model }, { name: "sudoku", split }, { steps: 16, limit: 1000 });
 * entry.metrics.exact_accuracy; // 0.87
 * entry.curve?.exact_accuracy;  // accuracy after each of the 16 supervision steps
 * ```
 */
export async function evaluate(
  model: RecursiveReasoner | ModelInput,
  dataset: PuzzleDatasetSplit | DatasetInput,
  options: EvaluateOptions = {},
): Promise<ModelEvaluation> {
  const m = asModel(model);
  const d = asDataset(dataset);
  const split = subsetSplit(d.split, options.limit, options.seed ?? 0);
  return evaluateSplit(m, { ...d, split }, options);
}

/**
 * {@link evaluate} on a split that is already subset (compare() subsets once per dataset for every model).
 *
 * @example
 * ```ts
 * const { entry } = await evaluateSplit({ name: "trm", model }, { name: "sudoku", split: subsetSplit(split, 100) }, {});
 * ```
 */
export async function evaluateSplit(m: ModelInput, d: DatasetInput, options: EvaluateOptions): Promise<ModelEvaluation> {
  const { steps, trace } = resolveRun(m.model, d.split, options);
  const batchSize = options.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ConfigError(`batchSize must be a positive integer, got ${batchSize}`, { field: "batchSize" });
  const runner = options.runner ?? defaultRunner;
  const started = performance.now();
  const output = await runner(m.model, d.split, { steps, batchSize, trace, onProgress: options.onProgress });
  const scored = scoreOutput(output, { metadata: d.split.metadata, identifiers: d.identifiers }, options.evaluators ?? defaultEvaluators());
  const entry: ResultEntry = {
    model: m.name,
    dataset: d.name,
    examples: output.numExamples,
    steps,
    metrics: scored.metrics,
    curve: scored.curve,
    halting: scored.halting,
    evaluators: scored.evaluators,
    artifacts: [],
    wallTimeSeconds: (performance.now() - started) / 1000,
  };
  return { entry, artifacts: scored.artifacts, output, split: d.split };
}
