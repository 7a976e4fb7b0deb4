import { IGNORE_LABEL, type EvaluationOutput, type PuzzleDatasetMetadata } from "@recurse/core";
import { TRACE_SCHEMA, type TraceExample, type TraceFile, type TraceRender } from "./trace-schema";

export interface BuildTraceOptions {
  model: TraceFile["model"];
  dataset: Omit<TraceFile["dataset"], "metadata"> & { metadata: PuzzleDatasetMetadata };
  render: TraceRender;
  /** Keep at most this many examples (default 50). */
  limit?: number;
  /** identifiers.json, to name puzzles. */
  identifiers?: string[];
}

/**
 * A viewer trace from an evaluation run with tracing on. Without per-step records (tracing off) the final answer
 * becomes the only step, so a trace is still viewable.
 *
 * @example
 * ```ts
 * const output = await evaluateReasoner(model, split, { trace: true });
 * const trace = buildTrace(output, { model: { name: "trm" }, dataset, render: renderInfoFor("sudoku", meta) });
 * ```
 */
export function buildTrace(output: EvaluationOutput, options: BuildTraceOptions): TraceFile {
  const { numExamples: N, seqLen: L } = output;
  const limit = Math.min(N, options.limit ?? 50);
  const records = output.trace?.length
    ? output.trace
    : [{ step: 1, predictions: output.predictions, qHalt: output.qHalt, qContinue: output.qContinue, correct: finalCorrect(output) }];
  const examples: TraceExample[] = [];
  for (let i = 0; i < limit; i++) {
    const row = (a: Int32Array) => Array.from(a.subarray(i * L, (i + 1) * L));
    const puzzleId = output.puzzleIds[i];
    examples.push({
      index: i,
      puzzleId,
      puzzleName: options.identifiers?.[puzzleId],
      inputs: row(output.inputs),
      labels: row(output.labels),
      stepsTaken: output.stepsTaken[i] ?? records.length,
      steps: records.map((r) => ({
        step: r.step,
        prediction: row(r.predictions),
        qHalt: round(r.qHalt[i]),
        ...(r.qContinue ? { qContinue: round(r.qContinue[i]) } : {}),
        correct: r.correct[i] === 1,
      })),
    });
  }
  const stepAccuracy = records.map((r) => {
    let right = 0;
    for (let i = 0; i < N; i++) right += r.correct[i];
    return N ? right / N : 0;
  });
  return {
    schema: TRACE_SCHEMA,
    createdAt: new Date().toISOString(),
    model: options.model,
    dataset: options.dataset,
    render: options.render,
    numSteps: records.length,
    evaluatedExamples: N,
    stepAccuracy,
    examples,
  };
}

function finalCorrect(output: EvaluationOutput): Uint8Array {
  const { numExamples: N, seqLen: L } = output;
  const correct = new Uint8Array(N);
  for (let i = 0; i < N; i++) {
    let ok = 1;
    for (let j = i * L; j < (i + 1) * L; j++) {
      if (output.labels[j] !== IGNORE_LABEL && output.labels[j] !== output.predictions[j]) {
        ok = 0;
        break;
      }
    }
    correct[i] = ok;
  }
  return correct;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** A file-name-safe slug: `runs/trm-tiny` → `trm-tiny`. */
export function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "unnamed";
}
