import { describe, expect, it } from "vitest";
import { transformerBaselineConfigSchema, transformerBaselinePresets, trmConfigSchema, trmPresets, trm } from "@recurse/trm";

describe("trmConfigSchema", () => {
  it("fills the reference trm.yaml defaults and derives puzzleEmbNdim from hiddenSize", () => {
    const c = trmConfigSchema.parse({});
    expect(c).toMatchObject({
      hiddenSize: 512, numHeads: 8, expansion: 4, cycles: 3, latentSteps: 6, layers: 2, puzzleEmbLen: 16,
      puzzleEmbNdim: 512, posEncodings: "rope", mlpT: false, haltMaxSteps: 16, haltExplorationProb: 0.1,
      loss: "stablemax", ropeTheta: 10000, rmsNormEps: 1e-5,
    });
    expect(trmConfigSchema.parse({ hiddenSize: 64 }).puzzleEmbNdim).toBe(64);
    expect(trmConfigSchema.parse({ hiddenSize: 64, puzzleEmbNdim: 0 }).puzzleEmbNdim).toBe(0);
  });

  it("rejects unknown keys, bad enums and a prefix too short for the puzzle embedding", () => {
    expect(trmConfigSchema.safeParse({ hidenSize: 64 }).success).toBe(false);
    expect(trmConfigSchema.safeParse({ posEncodings: "alibi" }).success).toBe(false);
    const short = trmConfigSchema.safeParse({ hiddenSize: 32, puzzleEmbNdim: 100, puzzleEmbLen: 2 });
    expect(short.success).toBe(false);
    expect(short.error!.issues[0].path).toEqual(["puzzleEmbLen"]);
    expect(trmConfigSchema.safeParse({ hiddenSize: 32, puzzleEmbNdim: 100, puzzleEmbLen: 0 }).success).toBe(true);
    const oddHead = trmConfigSchema.safeParse({ hiddenSize: 30, numHeads: 2 });
    expect(oddHead.success).toBe(false);
    expect(oddHead.error!.issues[0].message).toMatch(/even head_dim/);
    expect(trmConfigSchema.safeParse({ hiddenSize: 30, numHeads: 2, mlpT: true, posEncodings: "none" }).success).toBe(true);
  });

  it("parses every preset of both architectures", () => {
    for (const p of Object.values(trmPresets)) expect(trmConfigSchema.safeParse(p).success).toBe(true);
    for (const p of Object.values(transformerBaselinePresets)) expect(transformerBaselineConfigSchema.safeParse(p).success).toBe(true);
  });

  it("describes the plugin's architectures with presets and a default", () => {
    expect(trm.name).toBe("@recurse/trm");
    expect(trm.architectures!.map((a) => a.id)).toEqual(["trm", "transformer-baseline"]);
    for (const arch of trm.architectures!) expect(Object.keys(arch.presets)).toContain(arch.defaultPreset);
    expect(Object.keys(trm.architectures![0].presets).sort()).toEqual(["arc", "maze", "sudoku-att", "sudoku-mlp", "sudoku6-att-lite", "sudoku6-mlp", "sudoku6-mlp-lite", "tiny"]);
    expect(Object.keys(trm.architectures![1].presets).sort()).toEqual(["arc", "sudoku6", "sudoku6-lite", "tiny"]);
  });
});
