import type { EvaluationOutput, PuzzleDatasetSplit, RecursiveReasoner } from "@recurse/core";

/** A model to evaluate, with the name it has in reports. */
export interface ModelInput {
  name: string;
  model: RecursiveReasoner;
  /** Where it was loaded from (checkpoint directory), recorded in results.json. */
  source?: string;
}

/** A dataset split to evaluate on, with the name it has in reports. */
export interface DatasetInput {
  name: string;
  split: PuzzleDatasetSplit;
  /** identifiers.json (puzzle identifier id → name); ARC voting needs it. */
  identifiers?: string[];
  source?: string;
  /** Split name (`test`), recorded in results.json. */
  splitName?: string;
}

/** Options of the engine's batched evaluation. */
export interface RunnerOptions {
  /** Supervision steps per example. */
  steps: number;
  batchSize: number;
  /** Record every supervision step (predictions, q_halt) for the per-step curve and the halting histogram. */
  trace: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** Runs a reasoner over a split and collects what evaluators read (core's batched evaluation). */
export type EvaluationRunner = (model: RecursiveReasoner, split: PuzzleDatasetSplit, options: RunnerOptions) => Promise<EvaluationOutput>;

/**
 * Trainable parameters, counted as the reference does (the puzzle-embedding table is a buffer, not counted).
 *
 * @example
 * ```ts
 * parameterCount(trmSudokuMlp); // 5,028,866 for the paper's TRM-MLP Sudoku config
 * ```
 */
export function parameterCount(model: RecursiveReasoner): number {
  let n = 0;
  for (const v of model.parameters().values()) n += v.size;
  return n;
}

/** A name safe as one path segment. */
export function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^\.+/, "_") || "_";
}
