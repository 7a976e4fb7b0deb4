import { describe, expect, it } from "vitest";
import { initEngine, tf } from "@recurse/core";
import { onEngine } from "./support/on-engine";

// The wasm engine's Transpose/Slice/SplitV/Unpack/Concat kernels against the cpu backend: data movement must be
// exact, so results are compared bit for bit (float32, int32 and the bool fallback).

async function same(f: () => unknown): Promise<void> {
  const cpu = await onEngine("cpu", f);
  const wasm = await onEngine("wasm", f);
  expect(wasm).toEqual(cpu);
}

function iota(shape: number[], dtype: "float32" | "int32" | "bool" = "float32"): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  if (dtype === "bool")
    return tf.tensor(
      Array.from({ length: n }, (_, i) => (i * 7) % 3 === 0),
      shape,
      "bool",
    );
  return tf.tensor(
    Array.from({ length: n }, (_, i) => (dtype === "int32" ? i * 3 - 50 : i * 0.25 - 7)),
    shape,
    dtype,
  );
}

const dump = (t: tf.Tensor) => ({
  shape: t.shape,
  dtype: t.dtype,
  values: Array.from(t.dataSync() as ArrayLike<number>),
});

describe("wasm data-movement kernels match the cpu backend", () => {
  it("transposes: every permutation of rank 3, attention layouts, 2-D edges, int32 and bool", async () => {
    await same(() =>
      tf.tidy(() => {
        const out: tf.TensorContainer[] = [];
        const x3 = iota([5, 6, 7]);
        for (const perm of [
          [0, 1, 2],
          [0, 2, 1],
          [1, 0, 2],
          [1, 2, 0],
          [2, 0, 1],
          [2, 1, 0],
        ]) {
          out.push(dump(tf.transpose(x3, perm)));
        }
        out.push(dump(tf.transpose(iota([2, 9, 3, 4, 8]), [2, 0, 3, 1, 4]))); // [B, S, 3, H, d] -> [3, B, H, S, d]
        out.push(dump(tf.transpose(iota([3, 2, 4, 9, 8]), [1, 3, 0, 2, 4]))); // and back
        out.push(dump(tf.transpose(iota([2, 4, 9, 8]), [0, 2, 1, 3]))); // heads -> sequence
        for (const [r, c] of [
          [1, 1],
          [3, 5],
          [4, 4],
          [8, 12],
          [13, 7],
          [33, 65],
        ]) {
          out.push(dump(tf.transpose(iota([r, c]))));
          out.push(dump(tf.transpose(iota([3, r, c]), [0, 2, 1])));
        }
        out.push(dump(tf.transpose(iota([2, 3, 1, 5, 1, 4]), [5, 3, 1, 0, 2, 4]))); // size-1 axes
        out.push(dump(tf.transpose(iota([4, 6, 5], "int32"), [2, 0, 1])));
        out.push(dump(tf.transpose(iota([4, 6, 5], "bool"), [2, 0, 1])));
        out.push(dump(tf.transpose(iota([0, 3]))));
        return out;
      }),
    );
  });

  it("slices, splits, unstacks and concats along every axis", async () => {
    await same(() =>
      tf.tidy(() => {
        const out: tf.TensorContainer[] = [];
        const x = iota([4, 5, 6, 7]);
        out.push(dump(tf.slice(x, [1, 0, 2, 3], [2, 5, 3, 4])));
        out.push(dump(tf.slice(x, [0, 0, 0, 3], [-1, -1, -1, 2])));
        out.push(dump(tf.slice(x, [2, 0, 0, 0], [1, -1, -1, -1]))); // contiguous
        out.push(dump(tf.slice(iota([3, 4, 5, 6, 7]), [1, 1, 1, 1, 1], [2, 2, 3, 4, 5]))); // rank 5
        out.push(dump(tf.slice(iota([10], "int32"), [3], [4])));
        out.push(dump(tf.slice(iota([6, 6], "bool"), [1, 2], [3, 3])));
        for (let axis = 0; axis < 4; axis++) {
          for (const t of tf.split(x, [1, x.shape[axis] - 1], axis)) out.push(dump(t));
          for (const t of tf.unstack(x, axis)) out.push(dump(t));
          out.push(dump(tf.concat([x, tf.mul(x, 2), tf.slice(x, [0, 0, 0, 0], [4, 5, 6, 7])], axis)));
        }
        out.push(dump(tf.concat([iota([2, 3], "int32"), iota([2, 0], "int32"), iota([2, 4], "int32")], 1)));
        out.push(dump(tf.concat([iota([2, 3], "bool"), iota([2, 2], "bool")], 1)));
        out.push(dump(tf.concat([iota([3, 4])], 0)));
        return out;
      }),
    );
  });

  it("gradients through slice, split, concat and transpose", async () => {
    await same(() =>
      tf.tidy(() => {
        const x = iota([2, 5, 6]);
        const w = iota([2, 6, 5]);
        const f = (t: tf.Tensor) => {
          const [a, b] = tf.split(t, [2, 4], 2);
          const c = tf.concat([tf.mul(b, 3), a], 2);
          return tf.sum(
            tf.mul(tf.transpose(tf.slice(c, [0, 1, 0], [2, 4, 6]), [0, 2, 1]), tf.slice(w, [0, 0, 1], [2, 6, 4])),
          );
        };
        return [dump(tf.grad(f)(x))];
      }),
    );
  });

  it("clone and same-dtype cast share memory safely: the copy outlives its source", async () => {
    for (const engine of ["cpu", "wasm"] as const) {
      await initEngine(engine);
      const before = tf.memory().numTensors;
      const x = tf.tensor1d([1, 2, 3]);
      const y = tf.clone(x);
      const z = tf.cast(x, "float32");
      const w = tf.cast(x, "int32");
      x.dispose();
      expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
      z.dispose();
      expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
      expect(w.dtype).toBe("int32");
      y.dispose();
      w.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it("gather along any axis, with batch dimensions, int32 and bool, and its index check", async () => {
    await same(() =>
      tf.tidy(() => {
        const out: tf.TensorContainer[] = [];
        const x = iota([5, 4, 20]);
        out.push(dump(tf.gather(x, tf.tensor1d([4, 0, 0, 2], "int32"), 0)));
        out.push(dump(tf.gather(x, tf.tensor2d([3, 1, 2, 0], [2, 2], "int32"), 1)));
        out.push(dump(tf.gather(x, tf.tensor1d([19, 0, 7], "int32"), 2)));
        out.push(dump(tf.gather(iota([3, 4, 5]), tf.tensor2d([1, 0, 3, 2, 2, 2], [3, 2], "int32"), 1, 1)));
        out.push(dump(tf.gather(iota([6, 3], "int32"), tf.tensor1d([5, 1], "int32"))));
        out.push(dump(tf.gather(iota([6, 3], "bool"), tf.tensor1d([5, 1], "int32"))));
        return out;
      }),
    );
    await initEngine("wasm");
    expect(() => tf.tidy(() => tf.gather(iota([3, 2]), tf.tensor1d([3], "int32")))).toThrow(/not in \[0, 2\]/);
  });
});
