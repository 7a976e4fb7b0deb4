import { beforeAll, describe, expect, it } from "vitest";
import {
  Embedding,
  Linear,
  Rng,
  SwiGLU,
  initEngine,
  rmsNorm,
  rotateHalf,
  swigluIntermediateSize,
  tf,
} from "@recurse/core";

beforeAll(async () => {
  await initEngine("cpu");
});

/** Plain-JS y = x·Wᵀ (+ b) for x [n, in], W [out, in]. */
function refLinear(x: Float32Array, n: number, w: Float32Array, inF: number, outF: number, b?: Float32Array): Float64Array {
  const y = new Float64Array(n * outF);
  for (let r = 0; r < n; r++)
    for (let o = 0; o < outF; o++) {
      let s = b ? b[o] : 0;
      for (let i = 0; i < inF; i++) s += x[r * inF + i] * w[o * inF + i];
      y[r * outF + o] = s;
    }
  return y;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tol);
}

describe("Linear", () => {
  it("stores [out, in] weights under state_dict names, LeCun std, zero bias", () => {
    const before = tf.memory().numTensors;
    const lin = new Linear("blk.proj", { inFeatures: 256, outFeatures: 128, bias: true, rng: new Rng(1) });
    const params = lin.parameters();
    expect([...params.keys()]).toEqual(["blk.proj.weight", "blk.proj.bias"]);
    expect(params.get("blk.proj.weight")!.shape).toEqual([128, 256]);
    expect(params.get("blk.proj.weight")!.trainable).toBe(true);
    const w = lin.weight.dataSync() as Float32Array;
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(Math.abs(std * Math.sqrt(256) - 1)).toBeLessThan(0.02);
    expect(Array.from(lin.bias!.dataSync())).toEqual(new Array(128).fill(0));
    lin.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("computes x·Wᵀ + b over the last axis of a 3-D input", () => {
    const before = tf.memory().numTensors;
    const rng = new Rng(2);
    const lin = new Linear("p", { inFeatures: 5, outFeatures: 3, bias: true, rng });
    const bias = tf.tensor1d([0.5, -1, 2]);
    lin.bias!.assign(bias);
    bias.dispose();
    const xs = Float32Array.from({ length: 2 * 4 * 5 }, () => rng.normal());
    const x = tf.tensor3d(xs, [2, 4, 5]);
    const y = lin.apply(x);
    expect(y.shape).toEqual([2, 4, 3]);
    expectClose(y.dataSync(), refLinear(xs, 8, lin.weight.dataSync() as Float32Array, 5, 3, lin.bias!.dataSync() as Float32Array));
    tf.dispose([x, y]);
    lin.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("gives two live modules with equal state_dict names distinct tf variables", () => {
    const a = new Linear("same", { inFeatures: 2, outFeatures: 2, rng: new Rng(1) });
    const b = new Linear("same", { inFeatures: 2, outFeatures: 2, rng: new Rng(1) });
    expect([...a.parameters().keys()]).toEqual([...b.parameters().keys()]);
    expect(a.weight.name).not.toBe(b.weight.name);
    a.dispose();
    b.dispose();
  });
});

describe("Embedding", () => {
  it("gathers rows of embedding_weight", () => {
    const before = tf.memory().numTensors;
    const emb = new Embedding("inner.embed_tokens", { numEmbeddings: 6, dim: 4, initStd: 0.5, rng: new Rng(3) });
    expect([...emb.parameters().keys()]).toEqual(["inner.embed_tokens.embedding_weight"]);
    const ids = tf.tensor2d([[0, 5, 2]], [1, 3], "int32");
    const out = emb.apply(ids);
    expect(out.shape).toEqual([1, 3, 4]);
    const w = emb.weight.dataSync();
    const o = out.dataSync();
    [0, 5, 2].forEach((id, p) => expect(Array.from(o.slice(p * 4, p * 4 + 4))).toEqual(Array.from(w.slice(id * 4, id * 4 + 4))));
    tf.dispose([ids, out]);
    emb.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("rmsNorm", () => {
  it("rescales each last-axis row to unit RMS with eps inside the root", () => {
    const before = tf.memory().numTensors;
    const xs = [3, 4, 0, 0, 1e-3, -1e-3, 2, 2];
    const x = tf.tensor2d(xs, [2, 4]);
    const y = rmsNorm(x, 1e-5);
    const expected: number[] = [];
    for (let r = 0; r < 2; r++) {
      const row = xs.slice(r * 4, r * 4 + 4);
      const ms = row.reduce((s, v) => s + v * v, 0) / 4;
      for (const v of row) expected.push(v / Math.sqrt(ms + 1e-5));
    }
    expectClose(y.dataSync(), expected, 1e-6);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("rotateHalf", () => {
  it("maps [x1, x2] to [-x2, x1]", () => {
    const x = tf.tensor1d([1, 2, 3, 4]);
    const y = rotateHalf(x);
    expect(Array.from(y.dataSync())).toEqual([-3, -4, 1, 2]);
    tf.dispose([x, y]);
  });
});

describe("SwiGLU", () => {
  it("sizes the inner width as the reference does", () => {
    expect(swigluIntermediateSize(512, 4)).toBe(1536);
    expect(swigluIntermediateSize(97, 4)).toBe(512);
    expect(swigluIntermediateSize(916, 4)).toBe(2560);
    expect(swigluIntermediateSize(32, 4)).toBe(256);
    expect(swigluIntermediateSize(20, 4)).toBe(256);
    // Python round() is half-to-even: 4·48·2/3 = 128 exactly; 1.5·3·2/3 = 3; 0.75·5·2/3 = 2.5 -> 2.
    expect(swigluIntermediateSize(5, 0.75, 1)).toBe(2);
    expect(swigluIntermediateSize(7, 0.75, 1)).toBe(4); // 3.5 -> 4
  });

  it("computes down(silu(gate)·up) with gate the first half of gate_up_proj", () => {
    const before = tf.memory().numTensors;
    const rng = new Rng(4);
    const mlp = new SwiGLU("m", { hiddenSize: 3, expansion: 4, rng });
    expect([...mlp.parameters().keys()]).toEqual(["m.gate_up_proj.weight", "m.down_proj.weight"]);
    const inter = mlp.intermediateSize;
    expect(inter).toBe(256);
    expect(mlp.gateUp.weight.shape).toEqual([512, 3]);
    expect(mlp.down.weight.shape).toEqual([3, 256]);
    const xs = Float32Array.from({ length: 2 * 3 }, () => rng.normal());
    const x = tf.tensor2d(xs, [2, 3]);
    const y = mlp.apply(x);
    const gu = refLinear(xs, 2, mlp.gateUp.weight.dataSync() as Float32Array, 3, 2 * inter);
    const act = new Float32Array(2 * inter);
    for (let r = 0; r < 2; r++)
      for (let j = 0; j < inter; j++) {
        const g = gu[r * 2 * inter + j];
        const u = gu[r * 2 * inter + inter + j];
        act[r * inter + j] = (g / (1 + Math.exp(-g))) * u;
      }
    expectClose(y.dataSync(), refLinear(act, 2, mlp.down.weight.dataSync() as Float32Array, inter, 3), 1e-4);
    tf.dispose([x, y]);
    mlp.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
