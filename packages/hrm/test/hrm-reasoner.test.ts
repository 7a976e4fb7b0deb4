import { beforeAll, describe, expect, it } from "vitest";
import {
  CheckpointError,
  Rng,
  ShapeError,
  TokenMixingBlock,
  disposeCarry,
  initEngine,
  initialCarry,
  loadWeights,
  segment,
  supervisionStep,
  tf,
  updatePlan,
  type PuzzleBatch,
} from "@recurse/core";
import { HrmReasoner, hrmArchitecture, hrmConfigSchema, hrmPresets, type HrmConfigInput } from "@recurse/hrm";
import { loadFixtureWeights } from "../../../test-support/reference-fixtures";
import { expectWeightsRoundTrip } from "../../../test-support/weight-round-trip";

beforeAll(async () => {
  await initEngine("cpu");
});

const build = (overrides: HrmConfigInput = {}) => new HrmReasoner(hrmConfigSchema.parse({ ...hrmPresets.tiny, ...overrides }));

function inputsOf(model: HrmReasoner, b: number) {
  const seqLen = model.config.seqLen;
  const ids = new Int32Array(b * seqLen).map((_, i) => (i * 7) % model.config.vocabSize);
  const inputs = tf.tensor2d(ids, [b, seqLen], "int32");
  const rows = tf.randomNormal([b, model.puzzleEmbedding!.width], 0, 0.1, "float32", 1) as tf.Tensor2D;
  return { ids, inputs, rows };
}

function batchOf(model: HrmReasoner, b: number, seed: number): PuzzleBatch {
  const rng = new Rng(seed);
  const { seqLen, vocabSize, numPuzzleIdentifiers } = model.config;
  return {
    inputs: Int32Array.from({ length: b * seqLen }, () => rng.int(0, vocabSize)),
    labels: Int32Array.from({ length: b * seqLen }, () => (rng.next() < 0.2 ? -100 : rng.int(1, vocabSize))),
    puzzleIds: Int32Array.from({ length: b }, () => rng.int(0, numPuzzleIdentifiers)),
    batchSize: b,
    seqLen,
  };
}

describe("HrmReasoner contract", () => {
  it("declares HRM's schedule (last-step gradient), q-learning halting and 1-position prefix; starts from H_init/L_init", () => {
    const before = tf.memory().numTensors;
    const model = hrmArchitecture.create(hrmConfigSchema.parse(hrmPresets.tiny));
    expect(model).toBeInstanceOf(HrmReasoner);
    expect(model.architecture).toBe("hrm");
    expect(model.schedule).toEqual({ cycles: 2, latentSteps: 2, gradient: "last-step" });
    expect(updatePlan(model.schedule)).toEqual({ noGrad: ["latent", "latent", "answer", "latent"], withGrad: ["latent", "answer"] });
    expect(model.halting).toEqual({ policy: "q-learning", maxSteps: 3, explorationProb: 0.1 });
    expect(model.prefixLength).toBe(1);
    expect(model.loss).toBe("stablemax");
    expect(model.puzzleEmbedding!.name).toBe("inner.puzzle_emb.weights");
    expect(model.puzzleEmbedding!.table.shape).toEqual([4, 32]);
    expect(Array.from(model.puzzleEmbedding!.table.dataSync()).every((v) => v === 0)).toBe(true);
    const s = model.initialState(3);
    expect(s.y.shape).toEqual([3, 17, 32]);
    const hInit = model.buffers().get("inner.H_init")!.dataSync();
    const lInit = model.buffers().get("inner.L_init")!.dataSync();
    const [y, z] = [s.y.dataSync(), s.z.dataSync()];
    for (let p = 0; p < 3 * 17; p++) {
      for (let d = 0; d < 32; d++) {
        expect(y[p * 32 + d]).toBe(hInit[d]);
        expect(z[p * 32 + d]).toBe(lInit[d]);
      }
    }
    tf.dispose([s.y, s.z]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("H_init/L_init have std ≈ 1; at init the Q-head reads halt = continue = -5 (weight 0, bias -5)", () => {
    const before = tf.memory().numTensors;
    const model = build({ hiddenSize: 512, numHeads: 8, seed: 3 });
    for (const init of [model.hInit, model.lInit]) {
      const h = Array.from(init.dataSync() as Float32Array);
      const std = Math.sqrt(h.reduce((s, v) => s + v * v, 0) / h.length);
      expect(std).toBeGreaterThan(0.9);
      expect(std).toBeLessThan(1.1);
    }
    expect(Array.from(model.io.qHead.weight.dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(model.io.qHead.bias!.dataSync())).toEqual([-5, -5]);
    const s = model.initialState(2);
    const out = model.readout(s);
    expect(out.logits.shape).toEqual([2, 16, 12]);
    expect(Array.from(out.halt.dataSync())).toEqual([-5, -5]);
    expect(Array.from(out.continue!.dataSync())).toEqual([-5, -5]);
    tf.dispose([s.y, s.z, out.logits, out.halt, out.continue!]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("x = √D · [puzzle row ; token embeddings]", () => {
    const before = tf.memory().numTensors;
    const model = build();
    const { ids, inputs, rows } = inputsOf(model, 2);
    const x = model.embed(inputs, rows);
    expect(x.shape).toEqual([2, 17, 32]);
    const xs = x.dataSync();
    const r = rows.dataSync();
    const table = model.io.embedTokens.weight.dataSync();
    const scale = Math.sqrt(32);
    for (let b = 0; b < 2; b++) {
      for (let d = 0; d < 32; d++) expect(xs[b * 17 * 32 + d]).toBeCloseTo(r[b * 32 + d] * scale, 5);
      for (let t = 0; t < 16; t++) {
        const token = ids[b * 16 + t];
        for (let d = 0; d < 32; d++) expect(xs[(b * 17 + 1 + t) * 32 + d]).toBeCloseTo(table[token * 32 + d] * scale, 5);
      }
    }
    tf.dispose([inputs, rows, x]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("latent update is L(zL, zH + x), answer update is H(zH, zL) without x, through separate modules", () => {
    const before = tf.memory().numTensors;
    const model = build();
    const { inputs, rows } = inputsOf(model, 2);
    const x = model.embed(inputs, rows);
    const x2 = x.mul(2) as tf.Tensor3D;
    const s = model.initialState(2);
    const zL = model.latentUpdate(x, s);
    const expectedL = tf.tidy(() => model.lLevel.apply(s.z, s.y.add(x) as tf.Tensor3D, { rope: model.io.rope }));
    expect(Array.from(zL.dataSync())).toEqual(Array.from(expectedL.dataSync()));
    const zL2 = model.latentUpdate(x2, s);
    expect(tf.tidy(() => tf.max(tf.abs(zL.sub(zL2))).dataSync()[0])).toBeGreaterThan(1e-3);
    const zH = model.answerUpdate(x, { y: s.y, z: zL });
    const zH2 = model.answerUpdate(x2, { y: s.y, z: zL });
    expect(Array.from(zH.dataSync())).toEqual(Array.from(zH2.dataSync()));
    const expectedH = model.hLevel.apply(s.y, zL, { rope: model.io.rope });
    expect(Array.from(zH.dataSync())).toEqual(Array.from(expectedH.dataSync()));
    // H and L do not share weights: the same inputs through the other module differ.
    const swapped = model.lLevel.apply(s.y, zL, { rope: model.io.rope });
    expect(tf.tidy(() => tf.max(tf.abs(swapped.sub(zH))).dataSync()[0])).toBeGreaterThan(1e-3);
    tf.dispose([inputs, rows, x, x2, s.y, s.z, zL, zL2, zH, zH2, expectedL, expectedH, swapped]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("rejects inputs of the wrong length and missing puzzle rows with ShapeError", () => {
    const before = tf.memory().numTensors;
    const model = build();
    const bad = tf.zeros([2, 15], "int32") as tf.Tensor2D;
    const ok = tf.zeros([2, 16], "int32") as tf.Tensor2D;
    expect(() => model.embed(bad, null)).toThrow(ShapeError);
    expect(() => model.embed(ok, null)).toThrow(/puzzleRows is null, expected \[2, 32\]/);
    tf.dispose([bad, ok]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("(k, T) configurations (TRM paper Table 3: HRM with n = k low-level steps, T cycles)", () => {
  const table3: [number, number][] = [[1, 1], [2, 2], [3, 3], [4, 4], [6, 3], [3, 6], [6, 6]];

  it.each(table3)("(k=%i, T=%i) with 4 + 4 layers runs T·k L calls and T H calls, in order L^k H per cycle", (k, T) => {
    const before = tf.memory().numTensors;
    const model = build({ latentSteps: k, cycles: T, hLayers: 4, lLayers: 4 });
    const levels: string[] = [];
    let blocks = 0;
    model.hook = (name) => {
      if (name === "inner.L_level") levels.push("L");
      else if (name === "inner.H_level") levels.push("H");
      else if (/\.layers\.\d+$/.test(name)) blocks++;
    };
    const { inputs, rows } = inputsOf(model, 1);
    const x = model.embed(inputs, rows);
    const s = model.initialState(1);
    const out = segment(model, x, s, { training: false });
    expect(levels.join("")).toBe(("L".repeat(k) + "H").repeat(T));
    expect(blocks).toBe(4 * (T * k + T));
    const plan = updatePlan(model.schedule);
    expect(plan.withGrad).toEqual(["latent", "answer"]);
    expect(plan.noGrad.length).toBe(T * (k + 1) - 2);
    tf.dispose([inputs, rows, x, s.y, s.z, out.state.y, out.state.z, out.readout.logits, out.readout.halt, out.readout.continue!]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("a training step adds the bootstrap forward (2·T·(k+1) module calls), an eval step does not", () => {
    const before = tf.memory().numTensors;
    const [k, T] = [3, 2];
    const model = build({ latentSteps: k, cycles: T });
    let calls = 0;
    model.hook = (name) => {
      if (name === "inner.L_level" || name === "inner.H_level") calls++;
    };
    const batch = batchOf(model, 2, 5);
    const evalStep = supervisionStep(model, initialCarry(model, 2, 16), batch, { training: false });
    expect(calls).toBe(T * (k + 1));
    disposeCarry(evalStep.carry);
    calls = 0;
    const train = supervisionStep(model, initialCarry(model, 2, 16), batch, { training: true, rng: new Rng(1) });
    expect(calls).toBe(2 * T * (k + 1));
    expect(train.outputs.targetQContinue).toHaveLength(2);
    tf.dispose([...train.grads!.values(), train.puzzleGrad!]);
    disposeCarry(train.carry);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("training through core's supervision step", () => {
  it("with exploration: every parameter and the puzzle rows get a finite, non-zero gradient; q_continue is fitted", () => {
    const before = tf.memory().numTensors;
    const model = build({ posEncodings: "learned", seed: 7 });
    // Non-degenerate Q-head so its gradient is informative (at init q_head has weight 0).
    tf.tidy(() => model.io.qHead.weight.assign(tf.randomNormal([2, 32], 0, 0.2, "float32", 3)));
    let carry = initialCarry(model, 4, 16);
    const rng = new Rng(11);
    for (let step = 1; step <= 2; step++) {
      const r = supervisionStep(model, carry, batchOf(model, 4, step), { training: true, rng });
      expect([...r.grads!.keys()].sort()).toEqual([...model.parameters().keys()].sort());
      for (const [name, g] of [...r.grads!, ["puzzle rows", r.puzzleGrad!] as const]) {
        const a = tf.tidy(() => g.abs().max().dataSync()[0]);
        expect(Number.isFinite(a), name).toBe(true);
        expect(a, name).toBeGreaterThan(0);
      }
      expect(r.metrics.qContinueLoss).toBeGreaterThan(0);
      expect(Number.isFinite(r.metrics.loss)).toBe(true);
      expect(r.metrics.loss).toBeCloseTo(r.metrics.lmLoss + 0.5 * (r.metrics.qHaltLoss + r.metrics.qContinueLoss), 5);
      for (const t of r.outputs.targetQContinue!) {
        expect(t).toBeGreaterThan(0);
        expect(t).toBeLessThan(1);
      }
      tf.dispose([...r.grads!.values(), r.puzzleGrad!]);
      carry = r.carry;
    }
    disposeCarry(carry);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("token-mixing blocks (mlpT: HRM's recursion with TRM-MLP's blocks)", () => {
  it("both modules mix over prefix + seqLen positions without RoPE; every parameter gets a finite, non-zero gradient", () => {
    const before = tf.memory().numTensors;
    const model = build({ mlpT: true, swigluMultiple: 1, seed: 3 });
    const positions = model.config.seqLen + 1;
    expect(model.io.rope).toBeNull();
    for (const level of [model.hLevel, model.lLevel]) {
      for (const layer of level.layers) expect(layer).toBeInstanceOf(TokenMixingBlock);
    }
    const params = model.parameters();
    expect([...params.keys()].some((k) => k.includes("qkv_proj"))).toBe(false);
    // The token-mixing SwiGLU's down projection maps its inner width back to the positions.
    expect(params.get("inner.L_level.layers.0.mlp_t.down_proj.weight")!.shape[0]).toBe(positions);
    expect(params.get("inner.H_level.layers.0.mlp_t.down_proj.weight")!.shape[0]).toBe(positions);
    tf.tidy(() => model.io.qHead.weight.assign(tf.randomNormal([2, 32], 0, 0.2, "float32", 3)));
    const r = supervisionStep(model, initialCarry(model, 4, 16), batchOf(model, 4, 1), { training: true, rng: new Rng(2) });
    expect([...r.grads!.keys()].sort()).toEqual([...params.keys()].sort());
    for (const [name, g] of r.grads!) {
      const a = tf.tidy(() => g.abs().max().dataSync()[0]);
      expect(Number.isFinite(a), name).toBe(true);
      expect(a, name).toBeGreaterThan(0);
    }
    tf.dispose([...r.grads!.values(), r.puzzleGrad!]);
    disposeCarry(r.carry);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("weights by state_dict name (core loadWeights / exportWeights)", () => {
  it("round-trips, stripping pretrain.py's model./_orig_mod. prefixes", () => {
    const before = tf.memory().numTensors;
    const a = build({ seed: 1 });
    const b = build({ seed: 2 });
    const exported = expectWeightsRoundTrip(a, b);
    expect(exported.get("inner.H_level.layers.0.self_attn.qkv_proj.weight")!.shape).toEqual([96, 32]);
    expect(exported.get("inner.L_init")!.shape).toEqual([32]);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("refuses TRM's weights (one shared L_level, 4 prefix rows) naming what is missing and unexpected", () => {
    const before = tf.memory().numTensors;
    const model = build();
    const trmWeights = loadFixtureWeights("trm_attn");
    const snapshot = model.io.lmHead.weight.dataSync().slice();
    expect(() => loadWeights(model, trmWeights, { source: "trm_attn/weights.json" })).toThrow(CheckpointError);
    expect(() => loadWeights(model, trmWeights)).toThrow(/missing \d+ tensor\(s\): inner\.H_level\.layers\.0/);
    expect(() => loadWeights(model, trmWeights, { requireAll: false })).toThrow(/does not have: inner\.L_level\.layers\.1/);
    expect(model.io.lmHead.weight.dataSync()).toEqual(snapshot);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
