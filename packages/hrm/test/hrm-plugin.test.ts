import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError, countParameters, createRegistry, initEngine, tf, validatePlugin } from "@recurse/core";
import { HrmReasoner, hrm } from "@recurse/hrm";

beforeAll(async () => {
  await initEngine("cpu");
});

describe("hrm plugin in a registry", () => {
  it("is a valid plugin and builds reasoners from presets with overrides", () => {
    const before = tf.memory().numTensors;
    expect(validatePlugin(hrm)).toBe(hrm);
    const registry = createRegistry().use(hrm);
    expect(registry.architectures.ids()).toEqual(["hrm"]);
    const model = registry.architectures.create("hrm", { preset: "tiny", overrides: { hiddenSize: 16, seed: 5 } });
    expect(model).toBeInstanceOf(HrmReasoner);
    expect(model.config).toMatchObject({ hiddenSize: 16, puzzleEmbNdim: 16, numHeads: 2, seed: 5 });
    expect(model.buffers().get("inner.puzzle_emb.weights")!.shape).toEqual([4, 16]);
    const sudoku6 = registry.architectures.create("hrm", { preset: "sudoku6" });
    expect(countParameters(sudoku6)).toBe(263_298);
    expect(sudoku6.schedule).toEqual({ cycles: 2, latentSteps: 2, gradient: "last-step" });
    // TRM paper Table 3 by configuration alone: (k, T) = (3, 6).
    const k3t6 = registry.architectures.create("hrm", { preset: "tiny", overrides: { latentSteps: 3, cycles: 6, hLayers: 4, lLayers: 4 } });
    expect(k3t6.schedule).toEqual({ cycles: 6, latentSteps: 3, gradient: "last-step" });
    expect([...k3t6.parameters().keys()].filter((n) => n.endsWith("qkv_proj.weight"))).toHaveLength(8);
    for (const m of [model, sudoku6, k3t6]) m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("rejects a misspelt config key with a did-you-mean", () => {
    const registry = createRegistry().use(hrm);
    const resolve = () => registry.architectures.resolveConfig("hrm", { preset: "tiny", overrides: { hLayer: 3 } });
    expect(resolve).toThrow(ConfigError);
    expect(resolve).toThrow(/hLayers/);
  });
});
