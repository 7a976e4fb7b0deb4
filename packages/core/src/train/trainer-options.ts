import type { PuzzleDatasetSplit } from "../formats/puzzle-dataset-types";
import type { RecursiveReasoner } from "../reasoner/types";
import type { EvaluateOptions } from "./evaluate";
import type { EvaluationSummary } from "./evaluation-summary";
import type { SupervisionMetrics } from "./metrics";

/** Optimizer of the network parameters. */
export interface NetworkOptimizerOptions {
  /** `adam-atan2` (the reference) or `adamw` (what the TRM paper names). Default `adam-atan2`. */
  kind?: "adam-atan2" | "adamw";
  /** Base learning rate (reference `lr`, 1e-4). */
  lr?: number;
  /** Decoupled weight decay (reference 0.1 ARC, 1.0 Sudoku/Maze). Default 0.1. */
  weightDecay?: number;
  /** Default (0.9, 0.95). */
  betas?: [number, number];
  /** AdamW only; default 1e-8. */
  epsilon?: number;
}

/** SignSGD of the puzzle-embedding rows. */
export interface PuzzleOptimizerOptions {
  /** Base learning rate (reference `puzzle_emb_lr`: 1e-2 ARC, 1e-4 Sudoku/Maze). Default 1e-2. */
  lr?: number;
  /** Default 0.1. */
  weightDecay?: number;
}

/** Everything a training run is made of. */
export interface TrainerOptions {
  reasoner: RecursiveReasoner;
  train: PuzzleDatasetSplit;
  /** Evaluated every `evalEvery` steps and at the end, on the EMA weights when EMA is on. */
  eval?: PuzzleDatasetSplit;
  /** Global batch size (reference 768). */
  batchSize: number;
  /** Total optimizer steps; or give `epochs`. */
  steps?: number;
  /** Epochs → steps as the reference (⌊epochs · groups · mean examples / batch⌋). */
  epochs?: number;
  /** Seeds the sampler and exploration. */
  seed: number;
  optimizer?: NetworkOptimizerOptions;
  puzzleOptimizer?: PuzzleOptimizerOptions;
  /** Linear warmup then cosine to `minRatio` (reference 2000 and 1.0 = constant). */
  schedule?: { warmupSteps?: number; minRatio?: number };
  /** EMA rate of the network weights (TRM 0.999), or null/undefined for none (HRM). */
  ema?: number | null;
  /** Default `reasoner.halting.explorationProb`. */
  explorationProb?: number;
  /** Evaluate every this many steps (0 or absent: only at the end). */
  evalEvery?: number;
  evalOptions?: EvaluateOptions;
  /** Save the checkpoint every this many steps (and always at the end when `outDir` is set). */
  checkpointEvery?: number;
  /** Run directory: `metrics.jsonl` and `checkpoint/`. Without it nothing is written. */
  outDir?: string;
  /** Extra fields for the checkpoint's `config.json` (versions, dataset path, preset, ...). */
  checkpointConfig?: Record<string, unknown>;
  onProgress?: (event: TrainEvent) => void;
  /**
   * Asks the run to stop early (e.g. on Ctrl-C). Checked between optimizer steps, never inside one: once aborted,
   * {@link Trainer.run} saves a checkpoint at the current step (when `outDir` is set), logs a `stopped` record and
   * returns with `stopped: "aborted"`. Restoring that checkpoint continues exactly as the uninterrupted run.
   */
  signal?: AbortSignal;
}

/** Progress reported by the trainer. */
export type TrainEvent =
  | { type: "step"; step: number; totalSteps: number; epoch: number; lr: number; metrics: SupervisionMetrics; seconds: number }
  | { type: "eval"; step: number; summary: EvaluationSummary; seconds: number }
  | { type: "checkpoint"; step: number; dir: string };

/** What a finished run reports. */
export interface TrainResult {
  steps: number;
  lastMetrics?: SupervisionMetrics;
  lastEval?: EvaluationSummary;
  checkpoint?: string;
  /** Set when the run ended before `totalSteps` because `signal` was aborted; `steps` is the step it stopped at. */
  stopped?: "aborted";
}
