import { describe, expect, it } from "vitest";
import { tf } from "@recurse/core";
import { onEngine } from "./support/on-engine";

// The wasm engine's BatchMatMul/_FusedMatMul kernels against the pure-JS cpu backend: values and gradients.

/** `tile`: repeats of a and b that make their batches equal, for a reference that does not rely on broadcasting. */
type Spec = {
  a: number[];
  b: number[];
  tA?: boolean;
  tB?: boolean;
  tile?: [number[], number[]];
};

function values(shape: number[], seed: number): Float32Array {
  const n = shape.reduce((x, y) => x * y, 1);
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-4): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i]));
    if (!(err <= worst)) worst = err;
  }
  expect(worst).toBeLessThanOrEqual(tol);
}

function product(spec: Spec, materialise = false) {
  const tiled = materialise && spec.tile;
  const mm = (x: tf.Tensor, z: tf.Tensor) =>
    tiled
      ? tf.matMul(tf.tile(x, spec.tile![0]), tf.tile(z, spec.tile![1]), spec.tA, spec.tB)
      : tf.matMul(x, z, spec.tA, spec.tB);
  return () =>
    tf.tidy(() => {
      const a = tf.tensor(values(spec.a, 1), spec.a);
      const b = tf.tensor(values(spec.b, 2), spec.b);
      const y = mm(a, b);
      // Weighted sum so the gradient differs per output element.
      const w = tf.tensor(values(y.shape, 3), y.shape);
      const [ga, gb] = tf.grads((x: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(mm(x, z), w)))([a, b]);
      return {
        shape: y.shape,
        y: y.dataSync().slice(),
        ga: ga.dataSync().slice(),
        gb: gb.dataSync().slice(),
      };
    });
}

const CASES: [string, Spec][] = [
  ["2-D plain", { a: [37, 29], b: [29, 41] }],
  ["2-D transposeA", { a: [29, 37], b: [29, 41], tA: true }],
  ["2-D transposeB", { a: [37, 29], b: [41, 29], tB: true }],
  ["2-D both transposed", { a: [29, 37], b: [41, 29], tA: true, tB: true }],
  ["2-D large enough for XNNPACK", { a: [96, 80], b: [72, 80], tB: true }],
  ["batch folded into one XNNPACK product", { a: [4, 48, 80], b: [80, 72] }],
  ["attention scores [B,H,S,d]·[B,H,S,d]ᵀ", { a: [2, 3, 81, 32], b: [2, 3, 81, 32], tB: true }],
  ["attention context [B,H,S,S]·[B,H,S,d]", { a: [2, 3, 81, 81], b: [2, 3, 81, 32] }],
  ["batched transposeA", { a: [4, 33, 17], b: [4, 33, 19], tA: true }],
  ["batched both transposed", { a: [4, 33, 17], b: [4, 19, 33], tA: true, tB: true }],
  ["batched, threads split rows", { a: [2, 130, 64], b: [2, 64, 130] }],
  ["batch against shared 2-D weight", { a: [3, 5, 24], b: [24, 7] }],
  ["batch against shared weight, transposed", { a: [3, 24, 5], b: [7, 24], tA: true, tB: true }],
  ["shared 2-D left against batch", { a: [6, 24], b: [3, 24, 7] }],
  // tfjs's cpu kernel mis-sizes this output, so the reference repeats both operands to the full batch first.
  [
    "broadcast batch [2,1] with [1,3]",
    {
      a: [2, 1, 5, 4],
      b: [1, 3, 4, 6],
      tile: [
        [1, 3, 1, 1],
        [2, 1, 1, 1],
      ],
    },
  ],
  ["long shared dimension: column blocks", { a: [6, 1100], b: [1100, 1000] }],
  ["long shared dimension: blocks of K accumulate, edge tiles", { a: [1030, 7], b: [13, 1030], tA: true, tB: true }],
  ["edge sizes 1", { a: [1, 1], b: [1, 1] }],
  ["odd sizes", { a: [3, 7, 5], b: [3, 5, 9] }],
];

describe("wasm matMul kernels match the cpu backend", () => {
  for (const [name, spec] of CASES) {
    it(`${name}: values and gradients`, async () => {
      const cpu = await onEngine("cpu", product(spec, true));
      const wasm = await onEngine("wasm", product(spec));
      expect(wasm.shape).toEqual(cpu.shape);
      expectClose(wasm.y, cpu.y);
      expectClose(wasm.ga, cpu.ga);
      expectClose(wasm.gb, cpu.gb);
    });
  }

  it("zero-sized shared dimension gives zeros", async () => {
    const f = () =>
      tf.tidy(() =>
        tf
          .matMul(tf.zeros([2, 3, 0]), tf.zeros([2, 0, 4]))
          .dataSync()
          .slice(),
      );
    const wasm = await onEngine("wasm", f);
    expect(Array.from(wasm)).toEqual(new Array(24).fill(0));
  });

  it("fused matMul with bias and activations, transposed and batched", async () => {
    const run = () =>
      tf.tidy(() => {
        const out: number[][] = [];
        for (const activation of ["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu", "prelu"] as const) {
          for (const [aShape, bShape, tA, tB] of [
            [[3, 17, 11], [3, 11, 13], false, false],
            [[3, 11, 17], [3, 13, 11], true, true],
            [[21, 11], [13, 11], false, true],
            [[21, 11], [11, 13], false, false],
          ] as [number[], number[], boolean, boolean][]) {
            const a = tf.tensor(values(aShape, 4), aShape);
            const b = tf.tensor(values(bShape, 5), bShape);
            const bias = tf.tensor1d(values([13], 6));
            const alpha = tf.tensor1d(values([13], 7));
            const y = tf.fused.matMul({
              a,
              b,
              transposeA: tA,
              transposeB: tB,
              bias,
              activation,
              preluActivationWeights: activation === "prelu" ? alpha : undefined,
              leakyreluAlpha: 0.15,
            });
            out.push(Array.from(y.dataSync()));
          }
        }
        return out;
      });
    const cpu = await onEngine("cpu", run);
    const wasm = await onEngine("wasm", run);
    expect(wasm.length).toBe(cpu.length);
    cpu.forEach((want, i) => expectClose(wasm[i], want));
  });
});
