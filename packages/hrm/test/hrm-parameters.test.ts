import { beforeAll, describe, expect, it } from "vitest";
import { countParameters, initEngine, tf } from "@recurse/core";
import { HrmReasoner, countHrmConfigParameters, hrmConfigSchema, hrmPresets } from "@recurse/hrm";
import { loadFixtureTensors } from "../../../test-support/reference-fixtures";
import { fixtureConfig } from "./fixture-model";

beforeAll(async () => {
  await initEngine("cpu");
});

describe("parameter counts (reference model.parameters(): no puzzle table, no H_init/L_init)", () => {
  it("paper presets from shapes equal the reference's counts", () => {
    const count = (p: keyof typeof hrmPresets) => countHrmConfigParameters(hrmConfigSchema.parse(hrmPresets[p]));
    expect(count("sudoku")).toBe(27_275_266);
    expect(count("arc")).toBe(27_276_290);
    expect(count("maze")).toBe(27_270_146);
  });

  it("the built Sudoku model has 27,275,266 parameters and a [1, 512] puzzle table buffer", () => {
    const before = tf.memory().numTensors;
    const config = hrmConfigSchema.parse(hrmPresets.sudoku);
    const model = new HrmReasoner(config);
    const n = countParameters(model);
    console.log(`hrm sudoku: ${n.toLocaleString("en-US")} parameters`);
    expect(n).toBe(27_275_266);
    expect(model.buffers().get("inner.puzzle_emb.weights")!.shape).toEqual([1, 512]);
    expect([...model.parameters().keys()].filter((k) => k.endsWith(".qkv_proj.weight"))).toHaveLength(8);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("small presets and variants: built models count what the formula says", () => {
    const before = tf.memory().numTensors;
    const counts: Record<string, number> = {};
    const variants = [
      ["tiny", hrmConfigSchema.parse(hrmPresets.tiny)],
      ["sudoku6", hrmConfigSchema.parse(hrmPresets.sudoku6)],
      ["tiny learned positions", hrmConfigSchema.parse({ ...hrmPresets.tiny, posEncodings: "learned" })],
      ["tiny no puzzle embedding", hrmConfigSchema.parse({ ...hrmPresets.tiny, puzzleEmbNdim: 0 })],
      ["tiny 3 H + 1 L layers", hrmConfigSchema.parse({ ...hrmPresets.tiny, hLayers: 3 })],
      ["sudoku6-mlp-lite", hrmConfigSchema.parse(hrmPresets["sudoku6-mlp-lite"])],
      ["tiny token-mixing, RoPE asked for", hrmConfigSchema.parse({ ...hrmPresets.tiny, mlpT: true })],
    ] as const;
    for (const [label, config] of variants) {
      const model = new HrmReasoner(config);
      counts[label] = countParameters(model);
      expect(counts[label], label).toBe(countHrmConfigParameters(config));
      model.dispose();
    }
    console.log("hrm small preset parameter counts:", counts);
    expect(counts.sudoku6).toBe(263_298);
    expect(counts.sudoku6).toBeGreaterThan(100_000);
    expect(counts.sudoku6).toBeLessThan(300_000);
    expect(counts["sudoku6-mlp-lite"]).toBe(176_438);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("state_dict names", () => {
  it("equal the reference's parameter and persistent buffer names and shapes", () => {
    const before = tf.memory().numTensors;
    const model = new HrmReasoner(fixtureConfig());
    const shapes = (m: Map<string, tf.Variable>) => Object.fromEntries([...m].map(([k, v]) => [k, v.shape]));
    const refParams: Record<string, number[]> = {};
    const refBuffers: Record<string, number[]> = {};
    for (const [k, t] of loadFixtureTensors("hrm", "weights")) {
      if (t.kind === "parameter") refParams[k] = t.shape;
      else if (t.persistent) refBuffers[k] = t.shape;
    }
    expect(shapes(model.parameters())).toEqual(refParams);
    expect(shapes(model.buffers())).toEqual(refBuffers);
    expect(Object.keys(refBuffers).sort()).toEqual(["inner.H_init", "inner.L_init", "inner.puzzle_emb.weights"]);
    for (const v of model.parameters().values()) expect(v.trainable).toBe(true);
    for (const v of model.buffers().values()) expect(v.trainable).toBe(false);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
