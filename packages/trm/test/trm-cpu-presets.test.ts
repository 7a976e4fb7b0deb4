import { beforeAll, describe, expect, it } from "vitest";
import { initEngine, tf } from "@recurse/core";
import {
  TransformerBaselineReasoner,
  TrmReasoner,
  countConfigParameters,
  countParameters,
  transformerBaselineConfigSchema,
  transformerBaselinePresets,
  trmConfigSchema,
  trmPresets,
} from "@recurse/trm";

beforeAll(async () => {
  await initEngine("cpu");
});

describe("swigluMultiple and the CPU recipe presets", () => {
  it("defaults to the reference's 256, so existing configs and checkpoints keep their shapes", () => {
    expect(trmConfigSchema.parse(trmPresets["sudoku6-mlp"]).swigluMultiple).toBe(256);
    expect(transformerBaselineConfigSchema.parse(transformerBaselinePresets.sudoku6).swigluMultiple).toBe(256);
    expect(() => trmConfigSchema.parse({ swigluMultiple: 0 })).toThrow();
  });

  it("sets the SwiGLU inner widths: round(8·width/3) ceiled to the multiple", () => {
    const before = tf.memory().numTensors;
    const model = new TrmReasoner(trmConfigSchema.parse(trmPresets["sudoku6-mlp-lite"]));
    const shapes = new Map([...model.parameters()].map(([k, v]) => [k, v.shape]));
    // Channels: 64 → round(170.67) = 171. Positions: 36 cells + 1 prefix = 37 → round(98.67) = 99.
    expect(shapes.get("inner.L_level.layers.0.mlp.gate_up_proj.weight")).toEqual([2 * 171, 64]);
    expect(shapes.get("inner.L_level.layers.0.mlp.down_proj.weight")).toEqual([64, 171]);
    expect(shapes.get("inner.L_level.layers.0.mlp_t.gate_up_proj.weight")).toEqual([2 * 99, 37]);
    expect(model.prefixLength).toBe(1);
    expect(model.puzzleEmbedding).toBeNull();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("built counts equal the formula and the counts the preset docs state", () => {
    const before = tf.memory().numTensors;
    const counts: Record<string, number> = {};
    for (const preset of ["sudoku6-mlp-lite", "sudoku6-att-lite"] as const) {
      const config = trmConfigSchema.parse(trmPresets[preset]);
      const model = new TrmReasoner(config);
      counts[preset] = countParameters(model);
      expect(counts[preset]).toBe(countConfigParameters(config));
      model.dispose();
    }
    const config = transformerBaselineConfigSchema.parse(transformerBaselinePresets["sudoku6-lite"]);
    const baseline = new TransformerBaselineReasoner(config);
    counts["baseline sudoku6-lite"] = countParameters(baseline);
    expect(counts["baseline sudoku6-lite"]).toBe(countConfigParameters(config));
    expect(baseline.halting.maxSteps).toBe(1);
    baseline.dispose();
    // Hand count: mlp 64·3·171 = 32,832; mlp_t 37·3·99 = 10,989; attention 64·3·64 + 64·64 = 16,384;
    // embed_tokens + lm_head 2·8·64 = 1,024; q_head 2·64 + 2 = 130.
    expect(counts["sudoku6-mlp-lite"]).toBe(2 * (32_832 + 10_989) + 1_154);
    expect(counts["sudoku6-att-lite"]).toBe(2 * (16_384 + 32_832) + 1_154);
    expect(counts["baseline sudoku6-lite"]).toBe(8 * (32_832 + 10_989) + 1_154);
    expect(counts).toEqual({ "sudoku6-mlp-lite": 88_796, "sudoku6-att-lite": 99_586, "baseline sudoku6-lite": 351_722 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
