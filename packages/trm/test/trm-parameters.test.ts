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
import { loadFixtureTensors } from "../../../test-support/reference-fixtures";
import { fixtureConfig } from "./fixture-model";

beforeAll(async () => {
  await initEngine("cpu");
});

describe("parameter counts (reference model.parameters(): no puzzle table, no H_init/L_init)", () => {
  it("paper presets from shapes equal the reference's counts", () => {
    const count = (p: keyof typeof trmPresets) => countConfigParameters(trmConfigSchema.parse(trmPresets[p]));
    expect(count("sudoku-att")).toBe(6_828_034);
    expect(count("sudoku-mlp")).toBe(5_028_866);
    expect(count("arc")).toBe(6_829_058);
    expect(count("maze")).toBe(6_822_914);
    expect(countConfigParameters(transformerBaselineConfigSchema.parse(transformerBaselinePresets.arc))).toBe(27_145_218);
  });

  it("built paper models count what the formula says (TRM-MLP and TRM-Att Sudoku)", () => {
    const before = tf.memory().numTensors;
    for (const preset of ["sudoku-mlp", "sudoku-att"] as const) {
      const config = trmConfigSchema.parse(trmPresets[preset]);
      const model = new TrmReasoner(config);
      const n = countParameters(model);
      console.log(`trm ${preset}: ${n.toLocaleString("en-US")} parameters`);
      expect(n).toBe(countConfigParameters(config));
      expect(model.buffers().get("inner.puzzle_emb.weights")!.shape).toEqual([1, 512]);
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("small presets: built count equals the formula for every variant", () => {
    const before = tf.memory().numTensors;
    const counts: Record<string, number> = {};
    const variants = [
      ["trm tiny", trmConfigSchema.parse(trmPresets.tiny)],
      ["trm sudoku6-mlp", trmConfigSchema.parse(trmPresets["sudoku6-mlp"])],
      ["trm learned positions", trmConfigSchema.parse({ ...trmPresets.tiny, posEncodings: "learned" })],
      ["trm no puzzle embedding", trmConfigSchema.parse({ ...trmPresets.tiny, puzzleEmbNdim: 0 })],
    ] as const;
    for (const [label, config] of variants) {
      const model = new TrmReasoner(config);
      counts[label] = countParameters(model);
      expect(counts[label], label).toBe(countConfigParameters(config));
      model.dispose();
    }
    for (const preset of ["tiny", "sudoku6"] as const) {
      const config = transformerBaselineConfigSchema.parse(transformerBaselinePresets[preset]);
      const model = new TransformerBaselineReasoner(config);
      counts[`baseline ${preset}`] = countParameters(model);
      expect(counts[`baseline ${preset}`]).toBe(countConfigParameters(config));
      model.dispose();
    }
    console.log("small preset parameter counts:", counts);
    // Same blocks and positions: the sudoku6 baseline has exactly the sudoku6-mlp TRM's parameters.
    expect(counts["baseline sudoku6"]).toBe(counts["trm sudoku6-mlp"]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("state_dict names", () => {
  it.each(["trm_attn", "trm_mlp_t"] as const)("equal the reference's persistent names and shapes (%s)", (set) => {
    const before = tf.memory().numTensors;
    const model = new TrmReasoner(fixtureConfig(set));
    const ours = new Map<string, number[]>();
    for (const [k, v] of model.parameters()) ours.set(k, v.shape);
    const buffers = new Map<string, number[]>();
    for (const [k, v] of model.buffers()) buffers.set(k, v.shape);
    const refParams = new Map<string, number[]>();
    const refBuffers = new Map<string, number[]>();
    for (const [k, t] of loadFixtureTensors(set, "weights")) {
      if (t.kind === "parameter") refParams.set(k, t.shape);
      else if (t.persistent) refBuffers.set(k, t.shape);
    }
    expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(refParams));
    expect(Object.fromEntries(buffers)).toEqual(Object.fromEntries(refBuffers));
    for (const v of model.parameters().values()) expect(v.trainable).toBe(true);
    for (const v of model.buffers().values()) expect(v.trainable).toBe(false);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
