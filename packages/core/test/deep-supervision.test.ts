import { beforeAll, describe, expect, it } from "vitest";
import {
  initialCarry,
  initEngine,
  noGrad,
  Rng,
  segment,
  startStep,
  supervisionStep,
  tf,
  type PuzzleBatch,
  type SupervisionCarry,
} from "@recurse/core";
import { makeBatch, TinyReasoner } from "./support/tiny-reasoner";

const B = 4;
const L = 5;
const V = 6;

/** float64 stablemax CE of one token. */
function stablemaxCE(logits: ArrayLike<number>, label: number): number {
  const s = (x: number) => (x >= 0 ? x + 1 : 1 / (1 - x + 1e-30));
  let total = 0;
  for (let j = 0; j < logits.length; j++) total += s(logits[j]);
  return -Math.log(s(logits[label]) / total);
}
const bce = (x: number, t: number) => Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The reference loss head recomputed in float64 from the step's outputs. */
function referenceLoss(logits: Float32Array, data: PuzzleBatch, qHalt: Float32Array, qCont?: Float32Array, target?: Float32Array) {
  let lm = 0;
  let qh = 0;
  let qc = 0;
  for (let b = 0; b < B; b++) {
    let sum = 0;
    let n = 0;
    let correct = 0;
    for (let t = 0; t < L; t++) {
      const label = data.labels[b * L + t];
      if (label === -100) continue;
      const row = logits.subarray((b * L + t) * V, (b * L + t + 1) * V);
      sum += stablemaxCE(row, label);
      n++;
      let arg = 0;
      for (let j = 1; j < V; j++) if (row[j] > row[arg]) arg = j;
      if (arg === label) correct++;
    }
    lm += sum / Math.max(n, 1);
    qh += bce(qHalt[b], correct === n ? 1 : 0);
    if (qCont && target) qc += bce(qCont[b], target[b]);
  }
  return { lm, qh, qc, loss: lm + 0.5 * (qh + qc) };
}

function relErr(a: number, b: number) {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
}

describe("deep supervision step", () => {
  beforeAll(async () => {
    await initEngine("cpu");
  });

  it("halted slots restart from the initial state on the new batch row; the others keep theirs", () => {
    const model = new TinyReasoner({ seqLen: L, vocab: V });
    const rng = new Rng(1);
    const first = makeBatch(rng, B, L, V);
    const second = makeBatch(rng, B, L, V);
    const carry: SupervisionCarry = {
      state: { y: tf.fill([B, L + 1, 8], 7) as tf.Tensor3D, z: tf.fill([B, L + 1, 8], -7) as tf.Tensor3D },
      steps: Int32Array.from([3, 2, 1, 4]),
      halted: Uint8Array.from([1, 0, 0, 1]),
      data: first,
    };
    const init = model.initialState(B);
    const { state, steps, data } = startStep(model, carry, second);
    expect(Array.from(steps)).toEqual([0, 2, 1, 0]);
    for (let b = 0; b < B; b++) {
      const src = carry.halted[b] ? second : first;
      expect(Array.from(data.inputs.subarray(b * L, (b + 1) * L))).toEqual(Array.from(src.inputs.subarray(b * L, (b + 1) * L)));
      expect(Array.from(data.labels.subarray(b * L, (b + 1) * L))).toEqual(Array.from(src.labels.subarray(b * L, (b + 1) * L)));
      expect(data.puzzleIds[b]).toBe(src.puzzleIds[b]);
    }
    const y = state.y.arraySync() as number[][][];
    const yInit = init.y.arraySync() as number[][][];
    expect(y[0]).toEqual(yInit[0]);
    expect(y[3]).toEqual(yInit[3]);
    expect(y[1][2][5]).toBe(7);
    expect((state.z.arraySync() as number[][][])[2][0][0]).toBe(-7);
    // The carry itself is untouched.
    expect(first.inputs).not.toBe(data.inputs);
    tf.dispose([state.y, state.z, init.y, init.z, carry.state.y, carry.state.z]);
    model.dispose();
  });

  it("training loss = Σ per-sequence mean CE + 0.5·(halt BCE + continue BCE), with the bootstrapped target (HRM)", () => {
    const model = new TinyReasoner({
      seqLen: L,
      vocab: V,
      schedule: { cycles: 2, latentSteps: 2, gradient: "last-step" },
      halting: { policy: "q-learning", maxSteps: 2, explorationProb: 0 },
    });
    const rng = new Rng(2);
    let carry = initialCarry(model, B, L);
    for (let step = 1; step <= 2; step++) {
      const batch = makeBatch(rng, B, L, V);
      const r = supervisionStep(model, carry, batch, { training: true, outputs: true, gradScale: 1 });
      carry = r.carry;
      const logits = r.outputs.logits!.dataSync() as Float32Array;
      // The target, recomputed by hand: one more untaped segment from the new state on the same data.
      const expectedTarget = tf.tidy(() => {
        const rows = tf.gather(model.puzzleEmbedding!.table, carry.data.puzzleIds) as tf.Tensor2D;
        const x = model.embed(tf.tensor2d(carry.data.inputs, [B, L], "int32"), rows);
        const next = noGrad(() => segment(model, x, carry.state, { training: false }));
        const h = next.readout.halt.dataSync();
        const c = next.readout.continue!.dataSync();
        return Array.from(h, (v, i) => sigmoid(carry.steps[i] >= 2 ? v : Math.max(v, c[i])));
      });
      const target = r.outputs.targetQContinue!;
      expectedTarget.forEach((t, i) => expect(target[i]).toBeCloseTo(t, 6));
      if (step === 2) expect(carry.steps.every((s) => s === 2 || s === 1)).toBe(true);
      const ref = referenceLoss(logits, carry.data, r.outputs.qHalt, r.outputs.qContinue, target);
      expect(relErr(r.metrics.lmLoss, ref.lm)).toBeLessThan(1e-5);
      expect(relErr(r.metrics.qHaltLoss, ref.qh)).toBeLessThan(1e-5);
      expect(relErr(r.metrics.qContinueLoss, ref.qc)).toBeLessThan(1e-5);
      expect(relErr(r.metrics.loss, ref.loss)).toBeLessThan(1e-5);
      expect(r.grads!.size).toBe(6);
      expect(r.puzzleGrad!.shape).toEqual([B, 8]);
      tf.dispose([r.outputs.logits!, ...r.grads!.values(), r.puzzleGrad!]);
    }
    tf.dispose([carry.state.y, carry.state.z]);
    model.dispose();
  });

  it("gradients are of loss × gradScale (default 1/B) and the puzzle-row gradient matches finite differences", () => {
    // One latent and one answer update, both in the window: the truncated gradient is the true derivative here.
    const schedule = { cycles: 1, latentSteps: 1, gradient: "last-cycle" as const };
    const model = new TinyReasoner({ seqLen: L, vocab: V, numPuzzleIds: B, schedule });
    const batch = makeBatch(new Rng(3), B, L, V);
    batch.puzzleIds.set([0, 1, 2, 3]);
    const run = (gradScale?: number) => supervisionStep(model, initialCarry(model, B, L), batch, { training: true, gradScale });
    const a = run();
    const b = run(1);
    for (const [name, g] of a.grads!) {
      const scaled = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.mul(g, B), b.grads!.get(name)!))).dataSync()[0]);
      expect(scaled, name).toBeLessThan(1e-5);
    }
    expect(a.metrics.loss).toBe(b.metrics.loss);
    const grad = b.puzzleGrad!.arraySync() as number[][];
    const table = model.puzzleEmbedding!.table;
    const lossAt = () => {
      const r = supervisionStep(model, initialCarry(model, B, L), batch, { training: false });
      tf.dispose([r.carry.state.y, r.carry.state.z]);
      return r.metrics.loss;
    };
    for (const [row, col] of [[1, 3], [2, 0]]) {
      const h = 1e-2;
      const original = table.arraySync() as number[][];
      const shifted = (d: number) => {
        const t = original.map((r) => r.slice());
        t[row][col] += d;
        table.assign(tf.tensor2d(t));
        return lossAt();
      };
      const fd = (shifted(h) - shifted(-h)) / (2 * h);
      table.assign(tf.tensor2d(original));
      expect(Math.abs(fd)).toBeGreaterThan(1e-3);
      expect(Math.abs(grad[row][col] - fd)).toBeLessThan(1e-4);
    }
    for (const r of [a, b]) tf.dispose([r.carry.state.y, r.carry.state.z, ...r.grads!.values(), r.puzzleGrad!]);
    model.dispose();
  });

  it("metrics count only halted slots with labels, as the reference", () => {
    const model = new TinyReasoner({ seqLen: L, vocab: V, halting: { policy: "fixed", maxSteps: 2, explorationProb: 0 } });
    const batch = makeBatch(new Rng(4), B, L, V);
    batch.labels.fill(-100, 3 * L, 4 * L); // row 3 has no labels
    let carry = initialCarry(model, B, L);
    const first = supervisionStep(model, carry, batch, { training: false, outputs: true });
    expect(first.metrics.count).toBe(0); // nothing halted at step 1 of 2
    carry = first.carry;
    const second = supervisionStep(model, carry, batch, { training: false, outputs: true });
    expect(Array.from(second.carry.halted)).toEqual([1, 1, 1, 1]);
    expect(second.metrics.count).toBe(3);
    const preds = second.outputs.predictions!;
    let acc = 0;
    let exact = 0;
    let qAcc = 0;
    for (let b = 0; b < 3; b++) {
      let n = 0;
      let c = 0;
      for (let t = 0; t < L; t++) {
        const label = batch.labels[b * L + t];
        if (label === -100) continue;
        n++;
        if (preds[b * L + t] === label) c++;
      }
      acc += c / n;
      if (c === n) exact++;
      if ((second.outputs.qHalt[b] >= 0) === (c === n)) qAcc++;
    }
    expect(second.metrics.accuracy).toBeCloseTo(acc, 12);
    expect(second.metrics.exactAccuracy).toBe(exact);
    expect(second.metrics.qHaltAccuracy).toBe(qAcc);
    expect(second.metrics.steps).toBe(6);
    expect(second.metrics.mean.steps).toBe(2);
    expect(second.outputs.correct[3]).toBe(1); // no labels counts as exactly right (reference)
    tf.dispose([first.outputs.logits!, second.outputs.logits!, second.carry.state.y, second.carry.state.z]);
    model.dispose();
  });

  it("100 training steps leak no tensors", () => {
    const model = new TinyReasoner({
      seqLen: L,
      vocab: V,
      halting: { policy: "q-learning", maxSteps: 3, explorationProb: 0.3 },
      schedule: { cycles: 2, latentSteps: 2, gradient: "last-step" },
    });
    const rng = new Rng(5);
    let carry = initialCarry(model, B, L);
    const run = (n: number) => {
      for (let i = 0; i < n; i++) {
        const r = supervisionStep(model, carry, makeBatch(rng, B, L, V), { training: true, rng });
        carry = r.carry;
        tf.dispose([...r.grads!.values(), r.puzzleGrad!]);
      }
    };
    run(5);
    const before = tf.memory().numTensors;
    run(100);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([carry.state.y, carry.state.z]);
    model.dispose();
  });
});
