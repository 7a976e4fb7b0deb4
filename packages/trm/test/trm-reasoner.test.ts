import { beforeAll, describe, expect, it } from "vitest";
import { CheckpointError, ShapeError, initEngine, tf, type RecursiveReasoner, type WeightTensor } from "@recurse/core";
import {
  TransformerBaselineReasoner,
  TrmReasoner,
  exportWeights,
  loadWeights,
  transformerBaselineConfigSchema,
  transformerBaselinePresets,
  trmArchitecture,
  trmConfigSchema,
  trmPresets,
} from "@recurse/trm";
import { expectWeightsRoundTrip } from "../../../test-support/weight-round-trip";

beforeAll(async () => {
  await initEngine("cpu");
});

function batch(model: RecursiveReasoner, b: number, seqLen: number) {
  const ids = new Int32Array(b * seqLen).map((_, i) => (i * 7) % 12);
  const inputs = tf.tensor2d(ids, [b, seqLen], "int32");
  const rows = model.puzzleEmbedding
    ? (tf.randomNormal([b, model.puzzleEmbedding.width], 0, 0.1, "float32", 1) as tf.Tensor2D)
    : null;
  return { inputs, rows };
}

describe("TrmReasoner contract", () => {
  it("declares the TRM schedule, halting and prefix, and starts from H_init/L_init", () => {
    const before = tf.memory().numTensors;
    const model = trmArchitecture.create(trmConfigSchema.parse({ ...trmPresets.tiny, cycles: 3, latentSteps: 5 }));
    expect(model.architecture).toBe("trm");
    expect(model.schedule).toEqual({ cycles: 3, latentSteps: 5, gradient: "last-cycle" });
    expect(model.halting).toEqual({ policy: "halt-logit", maxSteps: 4, explorationProb: 0.1 });
    expect(model.prefixLength).toBe(4);
    expect(model.loss).toBe("stablemax");
    expect(model.puzzleEmbedding!.name).toBe("inner.puzzle_emb.weights");
    expect(Array.from(model.puzzleEmbedding!.table.dataSync()).every((v) => v === 0)).toBe(true);
    const s = model.initialState(3);
    expect(s.y.shape).toEqual([3, 20, 32]);
    const hInit = model.buffers().get("inner.H_init")!.dataSync();
    const y = s.y.dataSync();
    for (let p = 0; p < 3 * 20; p++) for (let d = 0; d < 32; d++) expect(y[p * 32 + d]).toBe(hInit[d]);
    tf.dispose([s.y, s.z]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("H_init/L_init have std ≈ 1 and init q_head reads halt = continue = -5", () => {
    const before = tf.memory().numTensors;
    const model = new TrmReasoner(trmConfigSchema.parse({ ...trmPresets.tiny, hiddenSize: 512, numHeads: 8, seed: 3 }));
    const h = model.hInit.dataSync() as Float32Array;
    const std = Math.sqrt(h.reduce((s, v) => s + v * v, 0) / h.length);
    expect(std).toBeGreaterThan(0.9);
    expect(std).toBeLessThan(1.1);
    const { inputs, rows } = batch(model, 2, 16);
    const x = model.embed(inputs, rows);
    const s = model.initialState(2);
    const out = model.readout(s);
    expect(out.logits.shape).toEqual([2, 16, 12]);
    expect(Array.from(out.halt.dataSync())).toEqual([-5, -5]);
    expect(Array.from(out.continue!.dataSync())).toEqual([-5, -5]);
    tf.dispose([inputs, rows!, x, s.y, s.z, out.logits, out.halt, out.continue!]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("latent update reads x, answer update does not, and both keep [B, P+L, D]", () => {
    const before = tf.memory().numTensors;
    const model = new TrmReasoner(trmConfigSchema.parse(trmPresets.tiny));
    const { inputs, rows } = batch(model, 2, 16);
    const x = model.embed(inputs, rows);
    const x2 = x.mul(2) as tf.Tensor3D;
    const s = model.initialState(2);
    const z1 = model.latentUpdate(x, s);
    const z2 = model.latentUpdate(x2, s);
    expect(z1.shape).toEqual([2, 20, 32]);
    expect(tf.tidy(() => tf.max(tf.abs(z1.sub(z2))).dataSync()[0])).toBeGreaterThan(1e-3);
    const y1 = model.answerUpdate(x, { y: s.y, z: z1 });
    const y2 = model.answerUpdate(x2, { y: s.y, z: z1 });
    expect(Array.from(y1.dataSync())).toEqual(Array.from(y2.dataSync()));
    tf.dispose([inputs, rows!, x, x2, s.y, s.z, z1, z2, y1, y2]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("rejects inputs of the wrong length and missing puzzle rows with ShapeError", () => {
    const before = tf.memory().numTensors;
    const model = new TrmReasoner(trmConfigSchema.parse(trmPresets.tiny));
    const bad = tf.zeros([2, 15], "int32") as tf.Tensor2D;
    const ok = tf.zeros([2, 16], "int32") as tf.Tensor2D;
    expect(() => model.embed(bad, null)).toThrow(ShapeError);
    expect(() => model.embed(ok, null)).toThrow(/puzzleRows is null, expected \[2, 32\]/);
    tf.dispose([bad, ok]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("sends gradient to every parameter and to the puzzle rows through one cycle", () => {
    const before = tf.memory().numTensors;
    for (const preset of [trmPresets.tiny, { ...trmPresets.tiny, mlpT: true, posEncodings: "none" as const }, { ...trmPresets.tiny, posEncodings: "learned" as const }]) {
      const model = new TrmReasoner(trmConfigSchema.parse(preset));
      const { inputs, rows } = batch(model, 2, 16);
      const rowsVar = tf.variable(rows!, true);
      const s = model.initialState(2);
      const params = [...model.parameters().values()];
      const { value, grads } = tf.variableGrads(() => {
        const x = model.embed(inputs, rowsVar);
        let z = s.z;
        for (let i = 0; i < model.schedule.latentSteps; i++) z = model.latentUpdate(x, { y: s.y, z });
        const y = model.answerUpdate(x, { y: s.y, z });
        const out = model.readout({ y, z });
        return out.logits.square().mean().add(out.halt.sum()).add(out.continue!.sum()) as tf.Scalar;
      }, [...params, rowsVar]);
      expect(Object.keys(grads).length).toBe(params.length + 1);
      for (const [name, g] of Object.entries(grads)) {
        const a = tf.tidy(() => g.abs().max().dataSync()[0]);
        expect(Number.isFinite(a), name).toBe(true);
        expect(a, name).toBeGreaterThan(0);
      }
      tf.dispose([value, ...Object.values(grads), inputs, rows!, rowsVar, s.y, s.z]);
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("TransformerBaselineReasoner", () => {
  it("is one pass y ← net(y + x) with a derived prefix and H_level names", () => {
    const before = tf.memory().numTensors;
    const config = transformerBaselineConfigSchema.parse({ ...transformerBaselinePresets.tiny, puzzleEmbLen: 0 });
    const model = new TransformerBaselineReasoner(config);
    expect(model.schedule).toEqual({ cycles: 1, latentSteps: 0, gradient: "last-cycle" });
    expect(model.prefixLength).toBe(1);
    expect([...model.parameters().keys()].some((k) => k.startsWith("inner.H_level.layers.1.self_attn"))).toBe(true);
    expect([...model.buffers().keys()]).toEqual(["inner.H_init", "inner.puzzle_emb.weights"]);
    const { inputs, rows } = batch(model, 2, 16);
    const x = model.embed(inputs, rows);
    const s = model.initialState(2);
    // No L_init: the carried latent starts at zero.
    expect(model.lInit).toBeNull();
    expect(s.z.shape).toEqual([2, 17, 32]);
    expect(Array.from(s.z.dataSync()).every((v) => v === 0)).toBe(true);
    const y = model.answerUpdate(x, s);
    const expected = model.net.apply(s.y, x, { rope: model.io.rope });
    expect(Array.from(y.dataSync())).toEqual(Array.from(expected.dataSync()));
    const z = model.latentUpdate(x, s);
    expect(Array.from(z.dataSync())).toEqual(Array.from(s.z.dataSync()));
    const out = model.readout({ y, z });
    expect(out.logits.shape).toEqual([2, 16, 12]);
    tf.dispose([inputs, rows!, x, s.y, s.z, y, expected, z, out.logits, out.halt, out.continue!]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("loadWeights / exportWeights", () => {
  it("round-trips by state_dict name, stripping pretrain.py's model./_orig_mod. prefixes", () => {
    const before = tf.memory().numTensors;
    const a = new TrmReasoner(trmConfigSchema.parse({ ...trmPresets.tiny, seed: 1 }));
    const b = new TrmReasoner(trmConfigSchema.parse({ ...trmPresets.tiny, seed: 2 }));
    const exported = expectWeightsRoundTrip(a, b);
    expect(exported.get("inner.L_level.layers.0.self_attn.qkv_proj.weight")!.shape).toEqual([96, 32]);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("names the tensor in shape, count, missing and unexpected errors and changes nothing on failure", () => {
    const before = tf.memory().numTensors;
    const model = new TrmReasoner(trmConfigSchema.parse(trmPresets.tiny));
    const good = exportWeights(model);
    const snapshot = model.io.lmHead.weight.dataSync().slice();
    const withBadShape = new Map(good);
    withBadShape.set("inner.lm_head.weight", { shape: [32, 12], data: new Float32Array(384).fill(1) });
    expect(() => loadWeights(model, withBadShape, { source: "ckpt/model.safetensors" })).toThrow(
      /ckpt\/model\.safetensors: inner\.lm_head\.weight: shape \[32, 12\] does not fit the model \(expected shape \[12, 32\] float32\)/,
    );
    const withBadCount = new Map<string, Float32Array | WeightTensor>(good);
    withBadCount.set("inner.q_head.bias", new Float32Array(3));
    expect(() => loadWeights(model, withBadCount)).toThrow(/inner\.q_head\.bias: has 3 values/);
    const missing = new Map(good);
    missing.delete("inner.L_init");
    expect(() => loadWeights(model, missing)).toThrow(CheckpointError);
    expect(() => loadWeights(model, missing)).toThrow(/missing 1 tensor\(s\): inner\.L_init/);
    expect(loadWeights(model, missing, { requireAll: false }).missing).toEqual(["inner.L_init"]);
    const extra = new Map(good);
    extra.set("inner.H_level.layers.0.mlp.down_proj.weight", { shape: [1], data: new Float32Array(1) });
    extra.set("inner.rotary_emb.cos_cached", { shape: [1], data: new Float32Array(1) });
    expect(() => loadWeights(model, extra)).toThrow(/1 tensor\(s\) the trm model does not have: inner\.H_level/);
    expect(model.io.lmHead.weight.dataSync()).toEqual(snapshot);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
