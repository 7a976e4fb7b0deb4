import { beforeAll, describe, expect, it } from "vitest";
import {
  collateExamples,
  evaluate,
  evaluationSubset,
  exactlyCorrect,
  initialCarry,
  initEngine,
  puzzleOfExamples,
  summarizeEvaluation,
  supervisionStep,
  tf,
} from "@recurse/core";
import { TinyReasoner } from "./support/tiny-reasoner";
import { makeSplit } from "./support/tiny-dataset";

const L = 4;
const V = 5;
const split = makeSplit([[2, 1], [3], [1], [2, 1, 1]], { seqLen: L, vocab: V }); // 11 examples
const N = 11;

function model(policy: "halt-logit" | "q-learning" = "halt-logit") {
  return new TinyReasoner({
    seqLen: L,
    vocab: V,
    numPuzzleIds: split.metadata.numPuzzleIdentifiers,
    halting: { policy, maxSteps: 4, explorationProb: 0.5 },
    qBias: [0, 0],
    seed: 7,
  });
}

describe("evaluate", () => {
  beforeAll(async () => {
    await initEngine("cpu");
  });

  it("equals the reference evaluation loop (supervision steps in eval mode) for any batch size, with -100 labels", async () => {
    const m = model();
    const before = tf.memory().numTensors;
    const out = await evaluate(m, split, { batchSize: 3 });
    const wide = await evaluate(m, split, { batchSize: 64 });
    expect(tf.memory().numTensors).toBe(before);
    expect(out.numExamples).toBe(N);
    expect(out.trace).toBeUndefined();
    // The reference's way: one carry over the whole split, 4 eval-mode steps.
    const all = collateExamples(split, Array.from({ length: N }, (_, i) => i), puzzleOfExamples(split));
    let carry = initialCarry(m, N, L);
    let last;
    for (let s = 0; s < 4; s++) {
      last = supervisionStep(m, carry, all, { training: false, outputs: true });
      carry = last.carry;
      last.outputs.logits!.dispose();
    }
    expect(Array.from(carry.halted)).toEqual(new Array(N).fill(1));
    expect(Array.from(out.predictions)).toEqual(Array.from(last!.outputs.predictions!));
    for (let i = 0; i < N; i++) expect(out.qHalt[i]).toBeCloseTo(last!.outputs.qHalt[i], 5);
    expect(Array.from(out.stepsTaken)).toEqual(new Array(N).fill(4));
    expect(Array.from(wide.predictions)).toEqual(Array.from(out.predictions));
    expect(Array.from(out.labels)).toEqual(Array.from(all.labels));
    expect(out.labels.some((v) => v === -100)).toBe(true);
    tf.dispose([carry.state.y, carry.state.z]);
    m.dispose();
  });

  it("traces every step; the last step is the answer; a steps override scales inference", async () => {
    const m = model("q-learning");
    const out = await evaluate(m, split, { batchSize: 4, trace: true, steps: 6 });
    expect(out.trace!.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(out.trace![5].predictions)).toEqual(Array.from(out.predictions));
    expect(Array.from(out.stepsTaken)).toEqual(new Array(N).fill(6));
    expect(out.qContinue).toBeDefined();
    for (const r of out.trace!) {
      expect(Array.from(r.correct)).toEqual(Array.from(exactlyCorrect(r.predictions, { labels: out.labels, seqLen: L })));
      expect(r.qContinue!.length).toBe(N);
    }
    // Steps differ: the state keeps refining.
    expect(Array.from(out.trace![0].qHalt)).not.toEqual(Array.from(out.trace![5].qHalt));
    m.dispose();
  });

  it("adaptive halting freezes each example at its first q_halt > 0", async () => {
    const m = model();
    const traced = await evaluate(m, split, { batchSize: 5, trace: true, adaptiveHalting: true });
    const plain = await evaluate(m, split, { batchSize: 5, adaptiveHalting: true });
    for (let i = 0; i < N; i++) {
      const first = traced.trace!.findIndex((r) => r.qHalt[i] > 0);
      const expected = first === -1 ? 4 : first + 1;
      expect(traced.stepsTaken[i]).toBe(expected);
      const rec = traced.trace![expected - 1];
      expect(Array.from(traced.predictions.subarray(i * L, (i + 1) * L))).toEqual(Array.from(rec.predictions.subarray(i * L, (i + 1) * L)));
    }
    expect(Array.from(plain.predictions)).toEqual(Array.from(traced.predictions));
    expect(Array.from(plain.stepsTaken)).toEqual(Array.from(traced.stepsTaken));
    expect(new Set(traced.stepsTaken).size).toBeGreaterThan(1);
    m.dispose();
  });

  it("a limit takes a seeded subset in dataset order", async () => {
    const m = model();
    const subset = evaluationSubset(N, 5, 3);
    expect(Array.from(subset)).toEqual(Array.from(subset).sort((a, b) => a - b));
    expect(Array.from(evaluationSubset(N, 5, 3))).toEqual(Array.from(subset));
    expect(Array.from(evaluationSubset(N, 5, 4))).not.toEqual(Array.from(subset));
    const out = await evaluate(m, split, { limit: 5, seed: 3 });
    const full = await evaluate(m, split, {});
    expect(out.numExamples).toBe(5);
    subset.forEach((e, k) => {
      expect(Array.from(out.inputs.subarray(k * L, (k + 1) * L))).toEqual(Array.from(split.inputs.subarray(e * L, (e + 1) * L)));
      expect(Array.from(out.predictions.subarray(k * L, (k + 1) * L))).toEqual(Array.from(full.predictions.subarray(e * L, (e + 1) * L)));
    });
    m.dispose();
  });

  it("summarizes like the reference metrics", async () => {
    const m = model();
    const out = await evaluate(m, split);
    const s = summarizeEvaluation(out);
    const exact = exactlyCorrect(out.predictions, out);
    const withLabels = Array.from({ length: N }, (_, i) => out.labels.subarray(i * L, (i + 1) * L).some((v) => v !== -100));
    expect(s.count).toBe(withLabels.filter(Boolean).length);
    expect(s.exactAccuracy).toBeCloseTo(exact.filter((e, i) => e && withLabels[i]).length / s.count, 12);
    expect(s.meanSteps).toBe(4);
    m.dispose();
  });
});
