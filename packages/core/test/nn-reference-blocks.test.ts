/**
 * The nn blocks against the reference's first reasoning-module call (fixtures/reference, TRM sets): with the
 * reference weights loaded by state_dict name, the block internals and outputs must match the torch run.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  ReasoningModule,
  Rng,
  RotaryEmbedding,
  TokenMixingBlock,
  TransformerBlock,
  initEngine,
  ropeTables,
  tf,
  type Module,
} from "@recurse/core";
import { loadFixtureTensors, maxRelError, type FixtureTensor } from "../../../test-support/reference-fixtures";

beforeAll(async () => {
  await initEngine("cpu");
});

function loadInto(module: Module, weights: Map<string, FixtureTensor>): void {
  for (const [name, v] of module.parameters()) {
    const w = weights.get(name);
    if (!w) throw new Error(`fixture has no ${name}`);
    expect(v.shape).toEqual(w.shape);
    const t = tf.tensor(w.data as Float32Array, w.shape);
    v.assign(t);
    t.dispose();
  }
}

/** First L_level call input of TRM step 1: z_L = L_init, injection = H_init + x (carry reset at step 1). */
function firstCallInputs(weights: Map<string, FixtureTensor>, tensors: Map<string, FixtureTensor>) {
  const x = tensors.get("eval/step1/trace/input_embeddings")!;
  const [b, s, d] = x.shape;
  return tf.tidy(() => {
    const xT = tf.tensor3d(x.data as Float32Array, [b, s, d]);
    const hInit = tf.tensor1d(weights.get("inner.H_init")!.data as Float32Array);
    const lInit = tf.tensor1d(weights.get("inner.L_init")!.data as Float32Array);
    const zL = tf.broadcastTo(lInit, [b, s, d]) as tf.Tensor3D;
    const injection = tf.broadcastTo(hInit, [b, s, d]).add(xT) as tf.Tensor3D;
    return { zL, injection };
  });
}

function runFirstCall(net: ReasoningModule, set: string, rope: RotaryEmbedding | null) {
  const weights = loadFixtureTensors(set, "weights");
  const tensors = loadFixtureTensors(set, "tensors");
  loadInto(net, weights);
  const { zL, injection } = firstCallInputs(weights, tensors);
  const seen = new Map<string, Float32Array>();
  const out = net.apply(zL, injection, { rope, hook: (name, v) => seen.set(name, v.dataSync() as Float32Array) });
  const errors: Record<string, number> = {};
  for (const [name, ref] of tensors) {
    const m = /^eval\/step1\/trace\/first_level_call\/(.*)$/.exec(name);
    if (!m) continue;
    const got = seen.get(`inner.${m[1]}`);
    expect(got, `hook output for ${m[1]}`).toBeDefined();
    errors[m[1]] = maxRelError(got!, ref.data as Float32Array);
  }
  errors["level_call00"] = maxRelError(out.dataSync(), tensors.get("eval/step1/trace/level_call00_L_level")!.data as Float32Array);
  tf.dispose([zL, injection, out]);
  return errors;
}

describe("RoPE tables", () => {
  it("match the reference's rope/cos and rope/sin within 1e-6", () => {
    const tensors = loadFixtureTensors("trm_attn", "tensors");
    const { cos, sin } = ropeTables(20, 16, 10000);
    const refCos = tensors.get("rope/cos")!.data as Float32Array;
    const refSin = tensors.get("rope/sin")!.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < cos.length; i++) worst = Math.max(worst, Math.abs(cos[i] - refCos[i]), Math.abs(sin[i] - refSin[i]));
    console.log(`rope tables max abs error vs reference: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(1e-6);
  });
});

describe("blocks vs reference first level call", () => {
  it("attention blocks (trm_attn)", () => {
    const before = tf.memory().numTensors;
    const rng = new Rng(0);
    const net = new ReasoningModule("inner.L_level", 2, (name) =>
      new TransformerBlock(name, { hiddenSize: 32, numHeads: 2, expansion: 4, rmsNormEps: 1e-5, rng }),
    );
    const rope = new RotaryEmbedding({ positions: 20, headDim: 16, theta: 10000 });
    const errors = runFirstCall(net, "trm_attn", rope);
    console.log("trm_attn first level call max rel errors:", errors);
    expect(Object.keys(errors).sort()).toEqual(
      ["L_level.layers.0", "L_level.layers.0.mlp", "L_level.layers.0.self_attn", "L_level.layers.1", "L_level.layers.1.mlp", "L_level.layers.1.self_attn", "level_call00"].sort(),
    );
    for (const [k, e] of Object.entries(errors)) expect(e, k).toBeLessThanOrEqual(2e-5);
    net.dispose();
    rope.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("token-mixing blocks (trm_mlp_t), mlp_t compared in its transposed layout", () => {
    const before = tf.memory().numTensors;
    const rng = new Rng(0);
    const net = new ReasoningModule("inner.L_level", 2, (name) =>
      new TokenMixingBlock(name, { hiddenSize: 32, positions: 20, expansion: 4, rmsNormEps: 1e-5, rng }),
    );
    const errors = runFirstCall(net, "trm_mlp_t", null);
    console.log("trm_mlp_t first level call max rel errors:", errors);
    expect(Object.keys(errors)).toHaveLength(7);
    for (const [k, e] of Object.entries(errors)) expect(e, k).toBeLessThanOrEqual(2e-5);
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
