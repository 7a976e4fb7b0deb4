import { tf } from "../tf";
import { ConfigError } from "../errors";
import type { PuzzleDatasetSplit } from "../formats/puzzle-dataset-types";
import { Rng } from "../rng";
import { decideHalting, haltingPolicy } from "../reasoner/halting";
import { noGrad } from "../reasoner/no-grad";
import { segment } from "../reasoner/segment";
import {
  IGNORE_LABEL,
  type EvaluationOutput,
  type PuzzleBatch,
  type ReasonerState,
  type RecursiveReasoner,
  type SupervisionStepRecord,
} from "../reasoner/types";
import { collateExamples, puzzleOfExamples } from "./collate";

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Examples per forward pass; default 64. Results do not depend on it. */
  batchSize?: number;
  /**
   * Supervision steps per example; default `reasoner.halting.maxSteps`. More than training used is
   * inference-time scaling.
   */
  steps?: number;
  /**
   * Halt each example when its halting policy says so (its answer is then frozen) instead of running every
   * example for all steps (the reference's evaluation).
   */
  adaptiveHalting?: boolean;
  /** Record every supervision step (predictions, q values, correctness); off by default and then free. */
  trace?: boolean;
  /** Evaluate a seeded random subset of this many examples (kept in dataset order). */
  limit?: number;
  /** Seed of the subset; default 0. */
  seed?: number;
  /** Called after each batch with examples done and total. */
  onProgress?: (done: number, total: number) => void;
}

/** The examples `evaluate` covers: all, or a seeded subset of `limit` in dataset order. */
export function evaluationSubset(numExamples: number, limit?: number, seed = 0): Int32Array {
  if (limit === undefined || limit >= numExamples) return Int32Array.from({ length: numExamples }, (_, i) => i);
  if (!Number.isInteger(limit) || limit < 0) throw new ConfigError(`limit is ${limit}`, { field: "limit", expected: "an integer ≥ 0" });
  return new Rng(seed).permutation(numExamples).slice(0, limit).sort();
}

/**
 * Run a reasoner over a dataset split without gradient: every example starts from the initial state and runs
 * `steps` supervision steps (or until it halts, with `adaptiveHalting`), batched and deterministic. Labels equal
 * to the dataset's ignore id come back as -100.
 *
 * @example
 * ```ts
 * const out = await evaluate(model, testSplit, { batchSize: 128, steps: 16, trace: true });
 * const exact = out.trace!.at(-1)!.correct.reduce((a, b) => a + b, 0) / out.numExamples;
 * ```
 */
export async function evaluate(
  reasoner: RecursiveReasoner,
  split: PuzzleDatasetSplit,
  options: EvaluateOptions = {},
): Promise<EvaluationOutput> {
  const seqLen = split.metadata.seqLen;
  const batchSize = options.batchSize ?? 64;
  const maxSteps = options.steps ?? reasoner.halting.maxSteps;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ConfigError(`batch size is ${batchSize}`, { field: "batchSize", expected: "an integer ≥ 1" });
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new ConfigError(`steps is ${maxSteps}`, { field: "steps", expected: "an integer ≥ 1" });
  const policy = haltingPolicy({ ...reasoner.halting, maxSteps });
  const subset = evaluationSubset(split.inputs.length / seqLen, options.limit, options.seed);
  const puzzleOf = puzzleOfExamples(split);
  const N = subset.length;
  const all = collateExamples(split, subset, Int32Array.from(subset, (e) => puzzleOf[e]));
  const predictions = new Int32Array(N * seqLen);
  const qHalt = new Float32Array(N);
  let qContinue: Float32Array | undefined;
  const stepsTaken = new Int32Array(N);
  const trace: SupervisionStepRecord[] | undefined = options.trace ? [] : undefined;

  for (let from = 0; from < N; from += batchSize) {
    const b = Math.min(batchSize, N - from);
    const batch = sliceBatch(all, from, b);
    await runBatch(reasoner, batch, maxSteps, policy, !!options.adaptiveHalting, (step, out, done) => {
      if (out.qContinue && !qContinue) qContinue = new Float32Array(N);
      if (trace) {
        let record = trace[step - 1];
        if (!record) {
          record = { step, predictions: new Int32Array(N * seqLen), qHalt: new Float32Array(N), correct: new Uint8Array(N) };
          if (out.qContinue) record.qContinue = new Float32Array(N);
          trace[step - 1] = record;
        }
        record.predictions.set(out.predictions!, from * seqLen);
        record.qHalt.set(out.qHalt, from);
        record.qContinue?.set(out.qContinue!, from);
        record.correct.set(exactlyCorrect(out.predictions!, batch), from);
      }
      for (const i of done) {
        predictions.set(out.predictions!.subarray(i * seqLen, (i + 1) * seqLen), (from + i) * seqLen);
        qHalt[from + i] = out.qHalt[i];
        if (qContinue && out.qContinue) qContinue[from + i] = out.qContinue[i];
        stepsTaken[from + i] = step;
      }
    }, !!trace);
    options.onProgress?.(from + b, N);
  }
  return {
    numExamples: N,
    seqLen,
    inputs: all.inputs,
    labels: all.labels,
    puzzleIds: all.puzzleIds,
    predictions,
    qHalt,
    qContinue,
    stepsTaken,
    trace: trace ? trace.filter(Boolean) : undefined,
  };
}

interface StepReadout {
  predictions?: Int32Array;
  qHalt: Float32Array;
  qContinue?: Float32Array;
}

/**
 * Run one batch step by step; after each step `report(step, readout, newlyDone)` gets the host copies it needs.
 * Predictions are read only when traced or when some example finishes at that step.
 */
async function runBatch(
  reasoner: RecursiveReasoner,
  batch: PuzzleBatch,
  maxSteps: number,
  policy: ReturnType<typeof haltingPolicy>,
  adaptive: boolean,
  report: (step: number, out: StepReadout, done: number[]) => void,
  traced: boolean,
): Promise<void> {
  const { batchSize: B, seqLen: L } = batch;
  const pe = reasoner.puzzleEmbedding;
  const x = tf.tidy(() => {
    const rows = pe ? (tf.gather(pe.table, batch.puzzleIds) as tf.Tensor2D) : null;
    return reasoner.embed(tf.tensor2d(batch.inputs, [B, L], "int32"), rows);
  });
  let state: ReasonerState = reasoner.initialState(B);
  const finished = new Uint8Array(B);
  try {
    for (let step = 1; step <= maxSteps; step++) {
      const result = noGrad(() => segment(reasoner, x, state, { training: false }));
      tf.dispose([state.y, state.z]);
      state = result.state;
      const { logits, halt, continue: cont } = result.readout;
      const q = tf.tidy(() => (cont ? tf.concat([halt, cont]) : halt.clone()));
      const qValues = (await q.data()) as Float32Array;
      q.dispose();
      const out: StepReadout = { qHalt: qValues.slice(0, B), qContinue: cont ? qValues.slice(B, 2 * B) : undefined };
      const steps = new Int32Array(B).fill(step);
      const halted = decideHalting(policy, { steps, qHalt: out.qHalt, qContinue: out.qContinue, mode: adaptive ? "adaptive" : "eval" });
      const done: number[] = [];
      for (let i = 0; i < B; i++) if (halted[i] && !finished[i]) done.push(i);
      if (traced || done.length > 0) {
        const preds = tf.argMax(logits, -1);
        out.predictions = (await preds.data()) as Int32Array;
        preds.dispose();
      }
      tf.dispose([logits, halt, cont]);
      report(step, out, done);
      for (const i of done) finished[i] = 1;
      // A trace keeps every step (answers stay frozen at each example's halting step).
      if (!traced && finished.every((f) => f === 1)) break;
    }
  } finally {
    tf.dispose([x, state.y, state.z]);
  }
}

function sliceBatch(all: PuzzleBatch, from: number, size: number): PuzzleBatch {
  const L = all.seqLen;
  return {
    inputs: all.inputs.subarray(from * L, (from + size) * L),
    labels: all.labels.subarray(from * L, (from + size) * L),
    puzzleIds: all.puzzleIds.subarray(from, from + size),
    batchSize: size,
    seqLen: L,
  };
}

/** 1 where every supervised token is predicted (also for rows without labels, as the reference). */
export function exactlyCorrect(predictions: ArrayLike<number>, batch: { labels: ArrayLike<number>; seqLen: number }): Uint8Array {
  const L = batch.seqLen;
  const n = batch.labels.length / L;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let ok = 1;
    for (let t = 0; t < L; t++) {
      const label = batch.labels[i * L + t];
      if (label !== IGNORE_LABEL && predictions[i * L + t] !== label) {
        ok = 0;
        break;
      }
    }
    out[i] = ok;
  }
  return out;
}
