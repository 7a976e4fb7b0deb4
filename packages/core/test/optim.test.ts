import { beforeAll, describe, expect, it } from "vitest";
import { AdamATan2, AdamW, CheckpointError, initEngine, SparseSignSGD, tf } from "@recurse/core";

/** Plain float64 reference of the reference optimizers, written from the formulas in the spec (§6). */
function adamAtan2Reference(p0: number[], grads: number[][], lrs: number[], b1: number, b2: number, wd: number) {
  const p = p0.slice();
  const m = p0.map(() => 0);
  const v = p0.map(() => 0);
  grads.forEach((g, k) => {
    const t = k + 1;
    const lr = lrs[k];
    for (let i = 0; i < p.length; i++) {
      p[i] *= 1 - lr * wd;
      m[i] += (g[i] - m[i]) * (1 - b1);
      v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
      p[i] -= (lr / (1 - b1 ** t)) * Math.atan2(m[i], Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t));
    }
  });
  return p;
}

function adamWReference(p0: number[], grads: number[][], lrs: number[], b1: number, b2: number, wd: number, eps: number) {
  const p = p0.slice();
  const m = p0.map(() => 0);
  const v = p0.map(() => 0);
  grads.forEach((g, k) => {
    const t = k + 1;
    const lr = lrs[k];
    for (let i = 0; i < p.length; i++) {
      p[i] *= 1 - lr * wd;
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      p[i] -= ((lr / (1 - b1 ** t)) * m[i]) / (Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t) + eps);
    }
  });
  return p;
}

const P0 = [0.5, -1.25, 2, 0, 0.001, -0.3];
// Includes a zero gradient (atan2(0, 0) = 0) and sign flips between steps.
const GRADS = [
  [0.1, -0.2, 3, 0, 1e-4, -5],
  [-0.3, -0.2, 2.5, 0, 2e-4, 4],
  [0.05, 0.7, -1, 0, -1e-4, 0.5],
  [0.2, -0.1, 0.1, 0, 3e-4, -0.25],
];
const LRS = [1e-2, 2e-2, 3e-2, 1.5e-2];

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>) {
  let d = 0;
  for (let i = 0; i < b.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

function run(optimizer: { step(g: ReadonlyMap<string, tf.Tensor>, lr: number): void }, w: tf.Variable, from: number, to: number) {
  for (let k = from; k < to; k++) {
    const g = tf.tensor1d(GRADS[k]);
    optimizer.step(new Map([["w", g]]), LRS[k]);
    g.dispose();
  }
}

describe("dense optimizers", () => {
  beforeAll(async () => {
    await initEngine("cpu");
  });

  it("AdamATan2 matches a float64 reference over 4 steps (weight decay, no epsilon)", () => {
    const before = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.tensor1d(P0)));
    const opt = new AdamATan2(new Map([["w", w]]), { betas: [0.9, 0.95], weightDecay: 1.0 });
    run(opt, w, 0, 4);
    const expected = adamAtan2Reference(P0, GRADS, LRS, 0.9, 0.95, 1.0);
    expect(maxAbsDiff(w.dataSync(), expected)).toBeLessThan(2e-7);
    // The zero-gradient entry only decays: 0 stays 0.
    expect(w.dataSync()[3]).toBe(0);
    opt.dispose();
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("AdamW matches a float64 reference over 4 steps", () => {
    const w = tf.tidy(() => tf.variable(tf.tensor1d(P0)));
    const opt = new AdamW(new Map([["w", w]]), { betas: [0.9, 0.999], weightDecay: 0.1, epsilon: 1e-8 });
    run(opt, w, 0, 4);
    const expected = adamWReference(P0, GRADS, LRS, 0.9, 0.999, 0.1, 1e-8);
    expect(maxAbsDiff(w.dataSync(), expected)).toBeLessThan(2e-7);
    opt.dispose();
    w.dispose();
  });

  for (const make of [
    (params: Map<string, tf.Variable>) => new AdamATan2(params, { weightDecay: 0.5 }),
    (params: Map<string, tf.Variable>) => new AdamW(params, { weightDecay: 0.5 }),
  ]) {
    it(`${make(new Map()).kind}: export/import continues bit-identically`, () => {
      const before = tf.memory().numTensors;
      const a = tf.tidy(() => tf.variable(tf.tensor1d(P0)));
      const optA = make(new Map([["w", a]]));
      run(optA, a, 0, 2);
      const state = optA.exportState();
      expect([...state.tensors.keys()].sort()).toEqual(["w.exp_avg", "w.exp_avg_sq"]);
      const b = tf.tidy(() => tf.variable(a.clone()));
      const optB = make(new Map([["w", b]]));
      optB.importState(state);
      tf.dispose([...state.tensors.values()]);
      run(optA, a, 2, 4);
      run(optB, b, 2, 4);
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      optA.dispose();
      optB.dispose();
      tf.dispose([a, b]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it("parameters without a gradient are untouched (no decay, no step count)", () => {
    const a = tf.tidy(() => tf.variable(tf.tensor1d([1, 2])));
    const b = tf.tidy(() => tf.variable(tf.tensor1d([3, 4])));
    const opt = new AdamATan2(new Map([["a", a], ["b", b]]), { weightDecay: 1 });
    const g = tf.tensor1d([1, 1]);
    opt.step(new Map([["a", g]]), 0.1);
    expect(Array.from(b.dataSync())).toEqual([3, 4]);
    expect(opt.exportState().meta.steps).toEqual({ a: 1 });
    tf.dispose([a, b, g]);
    opt.dispose();
  });

  it("importing another optimizer's state fails clearly", () => {
    const w = tf.tidy(() => tf.variable(tf.tensor1d([1])));
    const adamw = new AdamW(new Map([["w", w]]));
    const atan2 = new AdamATan2(new Map([["w", w]]));
    expect(() => atan2.importState(adamw.exportState())).toThrow(CheckpointError);
    w.dispose();
  });
});

describe("SparseSignSGD", () => {
  beforeAll(async () => {
    await initEngine("cpu");
  });

  for (const backend of ["cpu", "wasm"] as const) {
    it(`sums gradients per unique id and updates only those rows (${backend})`, async () => {
      await initEngine(backend);
      const before = tf.memory().numTensors;
      const rows = [
        [1, -1, 0.5],
        [2, 2, 2],
        [0.25, -0.5, 4],
        [-3, 0, 1],
      ];
      const table = tf.tidy(() => tf.variable(tf.tensor2d(rows), false));
      const sgd = new SparseSignSGD(table, { weightDecay: 0.5 });
      const ids = Int32Array.from([2, 0, 2, 3]);
      // id 2 appears twice: its summed gradient's sign differs from either row's in columns 0 and 1.
      const g = [
        [1, -3, 0],
        [-0.5, 0.5, 0.1],
        [-2, 1, 0],
        [0, 0.2, -0.3],
      ];
      const grad = tf.tensor2d(g);
      const lr = 0.1;
      sgd.step(ids, grad, lr);
      const summed = new Map<number, number[]>();
      ids.forEach((id, r) => summed.set(id, (summed.get(id) ?? [0, 0, 0]).map((v, c) => v + g[r][c])));
      const expected = rows.map((row, id) => {
        const s = summed.get(id);
        return s ? row.map((p, c) => p * (1 - lr * 0.5) - lr * Math.sign(s[c])) : row;
      });
      const got = table.arraySync() as number[][];
      for (let r = 0; r < 4; r++) for (let c = 0; c < 3; c++) expect(got[r][c]).toBeCloseTo(expected[r][c], 6);
      expect(got[1]).toEqual([2, 2, 2]);
      tf.dispose([table, grad]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
