import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError, createRegistry, initEngine, tf, validatePlugin } from "@recurse/core";
import { TrmReasoner, countParameters, trm } from "@recurse/trm";

beforeAll(async () => {
  await initEngine("cpu");
});

describe("trm plugin in a registry", () => {
  it("is a valid plugin and builds reasoners from presets with overrides", () => {
    const before = tf.memory().numTensors;
    expect(validatePlugin(trm)).toBe(trm);
    const registry = createRegistry().use(trm);
    expect(registry.architectures.ids()).toEqual(["trm", "transformer-baseline"]);
    const model = registry.architectures.create("trm", { preset: "tiny", overrides: { hiddenSize: 16, seed: 5 } });
    expect(model).toBeInstanceOf(TrmReasoner);
    expect(model.config).toMatchObject({ hiddenSize: 16, puzzleEmbNdim: 16, numHeads: 2, seed: 5 });
    expect(model.buffers().get("inner.puzzle_emb.weights")!.shape).toEqual([4, 16]);
    const baseline = registry.architectures.create("transformer-baseline", { preset: "sudoku6" });
    expect(baseline.architecture).toBe("transformer-baseline");
    expect(countParameters(baseline)).toBe(179_330);
    model.dispose();
    baseline.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("rejects a misspelt config key with a did-you-mean", () => {
    const registry = createRegistry().use(trm);
    expect(() => registry.architectures.resolveConfig("trm", { preset: "tiny", overrides: { latentStep: 3 } })).toThrow(ConfigError);
    expect(() => registry.architectures.resolveConfig("trm", { preset: "tiny", overrides: { latentStep: 3 } })).toThrow(/latentSteps/);
  });
});
