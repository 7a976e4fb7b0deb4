import type { PuzzleDatasetMetadata } from "@recurse/core";

/** Version tag of the viewer trace files. */
export const TRACE_SCHEMA = "recurse.trace/1";

/**
 * How the viewer draws a sequence of tokens as a grid. `symbols` maps a token id to the text of a cell, `colors`
 * (ARC) to its fill; tokens in `empty` draw as blank cells. `crop` asks the viewer to cut the grid to the cells
 * that hold content (ARC grids sit in the top-left of a 30×30 canvas).
 */
export interface TraceRender {
  kind: "sudoku" | "arc" | "grid";
  rows: number;
  cols: number;
  /** Sudoku box shape (rows × cols of one box). */
  box?: [number, number];
  symbols: Record<string, string>;
  colors?: Record<string, string>;
  empty: number[];
  crop?: boolean;
}

/** One supervision step of one example. */
export interface TraceStep {
  step: number;
  /** Argmax tokens, [L]. */
  prediction: number[];
  qHalt: number;
  qContinue?: number;
  /** Exactly right over the supervised cells. */
  correct: boolean;
}

/** One example of a trace. */
export interface TraceExample {
  /** Row in the evaluated split. */
  index: number;
  puzzleId: number;
  /** identifiers.json name, when the dataset has one. */
  puzzleName?: string;
  /** Input tokens, [L]. */
  inputs: number[];
  /** Target tokens, [L]; -100 where no loss (nothing to compare). */
  labels: number[];
  /** Steps the model ran before halting (evaluation with halting) or the step budget. */
  stepsTaken: number;
  steps: TraceStep[];
}

/**
 * A viewer trace, `traces/<model>--<dataset>.json`: one model on one dataset split, with every supervision step's
 * answer for up to `--trace-limit` examples.
 */
export interface TraceFile {
  schema: typeof TRACE_SCHEMA;
  createdAt: string;
  model: { name: string; run?: string; architecture?: string; preset?: string };
  dataset: { name: string; path?: string; kind: string; split: string; metadata: PuzzleDatasetMetadata };
  render: TraceRender;
  /** Supervision steps recorded per example. */
  numSteps: number;
  /** Examples evaluated in total (the trace keeps the first `examples.length`). */
  evaluatedExamples: number;
  /** Exact accuracy after each step over every evaluated example, [numSteps]. */
  stepAccuracy: number[];
  examples: TraceExample[];
}
