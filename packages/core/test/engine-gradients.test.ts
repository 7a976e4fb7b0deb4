import { describe, expect, it } from "vitest";
import { tf } from "@recurse/core";
import { onEngine } from "./support/on-engine";

// Kernels and gradients the wasm engine lacked: UnsortedSegmentSum (gather's gradient) and gradients through
// comparisons; each checked against the cpu backend and, where simple, against the closed form.

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-5): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++)
    expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i])));
}

const ENGINES = ["cpu", "wasm"] as const;

describe("UnsortedSegmentSum on wasm", () => {
  const x = Array.from({ length: 6 * 4 }, (_, i) => Math.sin(i) * 3);
  const ids = [2, 0, 2, -1, 5, 1]; // -1 and 5 fall outside 4 segments and are dropped

  it("sums rows by segment like the cpu backend, float32 and int32", async () => {
    const run = () =>
      tf.tidy(() => {
        const f = tf.unsortedSegmentSum(tf.tensor2d(x, [6, 4]), tf.tensor1d(ids, "int32"), 4);
        const i = tf.unsortedSegmentSum(tf.tensor2d(x.map(Math.round), [6, 4], "int32"), tf.tensor1d(ids, "int32"), 4);
        return {
          f: f.dataSync().slice(),
          fShape: f.shape,
          i: Array.from(i.dataSync()),
          iDtype: i.dtype,
        };
      });
    const cpu = await onEngine("cpu", run);
    const wasm = await onEngine("wasm", run);
    expect(wasm.fShape).toEqual([4, 4]);
    expectClose(wasm.f, cpu.f);
    expect(wasm.i).toEqual(cpu.i);
    expect(wasm.iDtype).toBe("int32");
    // Row 0 of the output is input row 1 alone.
    expectClose(wasm.f.slice(0, 4), x.slice(4, 8));
  });

  it("multi-dimensional segment ids equal the flattened ids", async () => {
    // (The cpu kernel cannot take rank-2 ids, so its reference runs on the flattened rows.)
    const data = Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => i * 0.5);
    const segs = [0, 1, 0, 2, 2, 1];
    const wasm = await onEngine("wasm", () =>
      tf.tidy(() =>
        tf
          .unsortedSegmentSum(tf.tensor(data, [2, 3, 2, 2]), tf.tensor2d(segs, [2, 3], "int32") as unknown as tf.Tensor1D, 3) // tfjs types 1-D ids; the op takes any rank
          .dataSync()
          .slice(),
      ),
    );
    const cpu = await onEngine("cpu", () =>
      tf.tidy(() =>
        tf
          .unsortedSegmentSum(tf.tensor(data, [6, 2, 2]), tf.tensor1d(segs, "int32"), 3)
          .dataSync()
          .slice(),
      ),
    );
    expectClose(wasm, cpu);
  });

  it("trains through gather: the embedding gradient matches cpu", async () => {
    const table = Array.from({ length: 11 * 8 }, (_, i) => Math.cos(i * 0.3));
    const tokens = [3, 3, 0, 10, 7, 3, 1, 0];
    const run = () =>
      tf.tidy(() => {
        const w = tf.tensor2d(table, [11, 8]);
        const weights = tf.tensor2d(
          Array.from({ length: 8 * 8 }, (_, i) => (i % 7) - 3),
          [8, 8],
        );
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d(tokens, "int32")), weights)))(w);
        return g.dataSync().slice();
      });
    const cpu = await onEngine("cpu", run);
    const wasm = await onEngine("wasm", run);
    expectClose(wasm, cpu);
    // Token 3 appears at positions 0, 1 and 5: its gradient row is the sum of those weight rows.
    const want = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => [0, 1, 5].reduce((s, p) => s + (((p * 8 + j) % 7) - 3), 0));
    expectClose(wasm.slice(3 * 8, 4 * 8), want);
  });
});

describe("gradients through comparisons", () => {
  for (const engine of ENGINES) {
    it(`${engine}: masks built from greater/less/equal/notEqual/logical ops pass zero gradient`, async () => {
      const xs = [-2, -0.5, 0, 0.5, 2, 3];
      const g = await onEngine(engine, () =>
        tf.tidy(() => {
          const f = (x: tf.Tensor) => {
            const pos = tf.greater(x, 0);
            const small = tf.lessEqual(x, 2);
            const notTwo = tf.notEqual(x, 2);
            const isZero = tf.equal(x, 0);
            const neg = tf.less(x, 0);
            const mask = tf.logicalOr(
              tf.logicalAnd(tf.logicalAnd(pos, small), notTwo),
              tf.logicalNot(tf.logicalOr(isZero, neg)),
            );
            // relu-like: x where the mask holds, times 3.
            return tf.sum(tf.mul(tf.cast(mask, "float32"), tf.mul(x, 3)));
          };
          return Array.from(tf.grad(f)(tf.tensor1d(xs)).dataSync());
        }),
      );
      expect(g).toEqual(xs.map((x) => (x > 0 ? 3 : 0)));
    });
  }

  it("comparison gradients of both inputs are zero and float32", async () => {
    const run = () =>
      tf.tidy(() => {
        const [ga, gb] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.cast(tf.greater(a, b), "float32")))([
          tf.tensor1d([1, 2, 3]),
          tf.tensor1d([3, 2, 1]),
        ]);
        return {
          ga: Array.from(ga.dataSync()),
          gb: Array.from(gb.dataSync()),
          dtype: ga.dtype,
        };
      });
    for (const engine of ENGINES) {
      const r = await onEngine(engine, run);
      expect(r).toEqual({ ga: [0, 0, 0], gb: [0, 0, 0], dtype: "float32" });
    }
  });
});
