import { IGNORE_LABEL, type EvaluationOutput, type PuzzleDatasetMetadata, type SupervisionStepRecord } from "@recurse/core";

/** Ignored label in hand-written rows. */
export const X = IGNORE_LABEL;

export interface Row {
  input?: number[];
  label: number[];
  pred: number[];
  q: number;
  qc?: number;
  id?: number;
  steps?: number;
}

export interface StepRows {
  pred: number[][];
  q: number[];
  qc?: number[];
}

/** An EvaluationOutput from readable rows, with an optional trace given step by step. */
export function buildOutput(rows: Row[], trace?: StepRows[]): EvaluationOutput {
  const n = rows.length;
  const l = rows[0].label.length;
  const flat = (pick: (r: Row) => number[]) => Int32Array.from(rows.flatMap((r) => pick(r)));
  const out: EvaluationOutput = {
    numExamples: n,
    seqLen: l,
    inputs: flat((r) => r.input ?? new Array(l).fill(1)),
    labels: flat((r) => r.label),
    puzzleIds: Int32Array.from(rows.map((r) => r.id ?? 0)),
    predictions: flat((r) => r.pred),
    qHalt: Float32Array.from(rows.map((r) => r.q)),
    stepsTaken: Int32Array.from(rows.map((r) => r.steps ?? (trace ? trace.length : 1))),
  };
  if (rows.every((r) => r.qc !== undefined)) out.qContinue = Float32Array.from(rows.map((r) => r.qc as number));
  if (trace) {
    out.trace = trace.map(
      (s, k): SupervisionStepRecord => ({
        step: k + 1,
        predictions: Int32Array.from(s.pred.flat()),
        qHalt: Float32Array.from(s.q),
        ...(s.qc ? { qContinue: Float32Array.from(s.qc) } : {}),
        // The engine's own flag; the evaluators recompute correctness, so a plausible value is enough here.
        correct: new Uint8Array(n),
      }),
    );
  }
  return out;
}

export function metadata(overrides: Partial<PuzzleDatasetMetadata> = {}): PuzzleDatasetMetadata {
  return {
    padId: 0,
    ignoreLabelId: 0,
    blankIdentifierId: 0,
    vocabSize: 11,
    seqLen: 4,
    numPuzzleIdentifiers: 1,
    totalGroups: 1,
    meanPuzzleExamples: 1,
    sets: ["all"],
    ...overrides,
  };
}
