import { tf, type EvaluationOutput, type PuzzleDatasetSplit, type RecursiveReasoner } from "@recurse/core";
import type { EvaluationRunner } from "@recurse/eval";
import { metadata } from "./build-output";

/**
 * A stand-in for the engine in report and comparison tests (the metrics themselves are tested on hand-built outputs):
 * each example carries its number in its first input token, and a toy model "solves" example e at supervision step
 * `solveStep(e)` (0 = never). Before that its answer has one wrong token; q_halt is +1 when right, -1 when wrong.
 */
export interface ToyModel extends RecursiveReasoner {
  solveStep(example: number): number;
}

export function toyModel(architecture: string, solveStep: (e: number) => number, maxSteps = 3, weights = 10): ToyModel {
  const w = tf.variable(tf.zeros([weights]), false, `${architecture}.w${Math.random()}`);
  return {
    architecture,
    config: { hiddenSize: weights },
    schedule: { cycles: 1, latentSteps: 1, gradient: "last-cycle" },
    halting: { policy: "fixed", maxSteps, explorationProb: 0 },
    loss: "softmax",
    prefixLength: 0,
    puzzleEmbedding: null,
    solveStep,
    parameters: () => new Map([["w", w]]),
    buffers: () => new Map(),
    dispose: () => w.dispose(),
  } as unknown as ToyModel;
}

/** `groups` one-example groups of length 4; example e has inputs [e, 1, 1, 1] and labels [2 + e % 7, 3, 4, 5]. */
export function toySplit(groups: number): PuzzleDatasetSplit {
  const L = 4;
  const inputs = new Int32Array(groups * L);
  const labels = new Int32Array(groups * L);
  for (let e = 0; e < groups; e++) {
    inputs.set([e, 1, 1, 1], e * L);
    labels.set([2 + (e % 7), 3, 4, 5], e * L);
  }
  const seq = Int32Array.from({ length: groups + 1 }, (_, i) => i);
  return {
    metadata: metadata({ recurse: { dataset: "toy" }, totalGroups: groups }),
    inputs,
    labels,
    puzzleIdentifiers: new Int32Array(groups),
    puzzleIndices: seq,
    groupIndices: seq.slice(),
  };
}

export const toyRunner: EvaluationRunner = async (model, split, { steps, trace }) => {
  const toy = model as ToyModel;
  const L = split.metadata.seqLen;
  const n = split.puzzleIndices[split.puzzleIndices.length - 1];
  const labels = Int32Array.from(split.labels, (v) => (v === 0 ? -100 : v));
  const answer = (step: number) => {
    const pred = labels.slice();
    const q = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const s = toy.solveStep(split.inputs[i * L]);
      const right = s > 0 && step >= s;
      if (!right) pred[i * L] += 1;
      q[i] = right ? 1 : -1;
    }
    return { pred, q };
  };
  const last = answer(steps);
  const out: EvaluationOutput = {
    numExamples: n,
    seqLen: L,
    inputs: split.inputs.slice(),
    labels,
    puzzleIds: new Int32Array(n),
    predictions: last.pred,
    qHalt: last.q,
    stepsTaken: new Int32Array(n).fill(steps),
  };
  if (trace) {
    out.trace = Array.from({ length: steps }, (_, k) => {
      const a = answer(k + 1);
      return { step: k + 1, predictions: a.pred, qHalt: a.q, correct: Uint8Array.from(a.q, (v) => (v > 0 ? 1 : 0)) };
    });
  }
  return out;
};
