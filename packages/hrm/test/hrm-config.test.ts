import { describe, expect, it } from "vitest";
import { hrm, hrmConfigSchema, hrmPrefixLength, hrmPresets } from "@recurse/hrm";
import { fixtureConfig } from "./fixture-model";

describe("hrmConfigSchema", () => {
  it("fills the reference hrm_v1.yaml defaults and derives puzzleEmbNdim and the 1-position prefix", () => {
    const c = hrmConfigSchema.parse({});
    expect(c).toEqual({
      hiddenSize: 512, numHeads: 8, expansion: 4, swigluMultiple: 256, mlpT: false, cycles: 2, latentSteps: 2, hLayers: 4, lLayers: 4,
      puzzleEmbNdim: 512, posEncodings: "rope", vocabSize: 11, seqLen: 81, numPuzzleIdentifiers: 1,
      haltMaxSteps: 16, haltExplorationProb: 0.1, loss: "stablemax", ropeTheta: 10000, rmsNormEps: 1e-5, seed: 0,
    });
    expect(hrmPrefixLength(c)).toBe(1);
    expect(hrmConfigSchema.parse({ hiddenSize: 64 }).puzzleEmbNdim).toBe(64);
    // The reference derives the prefix as ceil(puzzle_emb_ndim / hidden): wider rows take more positions.
    expect(hrmPrefixLength(hrmConfigSchema.parse({ hiddenSize: 32, numHeads: 2, puzzleEmbNdim: 80 }))).toBe(3);
    expect(hrmPrefixLength(hrmConfigSchema.parse({ hiddenSize: 64, puzzleEmbNdim: 0 }))).toBe(0);
  });

  it("rejects unknown keys, TRM-only options, bad enums and an odd RoPE head_dim", () => {
    expect(hrmConfigSchema.safeParse({ hLayer: 2 }).success).toBe(false);
    expect(hrmConfigSchema.safeParse({ layers: 2 }).success).toBe(false);
    expect(hrmConfigSchema.safeParse({ puzzleEmbLen: 16 }).success).toBe(false);
    expect(hrmConfigSchema.safeParse({ posEncodings: "sinusoidal" }).success).toBe(false);
    expect(hrmConfigSchema.safeParse({ mlpT: "yes" }).success).toBe(false);
    expect(hrmConfigSchema.safeParse({ cycles: 0 }).success).toBe(false);
    const odd = hrmConfigSchema.safeParse({ hiddenSize: 30, numHeads: 2 });
    expect(odd.success).toBe(false);
    expect(odd.error!.issues[0].path).toEqual(["numHeads"]);
    expect(odd.error!.issues[0].message).toMatch(/even head_dim/);
    expect(hrmConfigSchema.safeParse({ hiddenSize: 30, numHeads: 2, posEncodings: "learned" }).success).toBe(true);
    expect(hrmConfigSchema.safeParse({ hiddenSize: 4, numHeads: 8 }).error!.issues[0].message).toMatch(/exceeds hiddenSize/);
    // Token-mixing blocks read no heads and no RoPE, so their head_dim is not checked.
    expect(hrmConfigSchema.safeParse({ hiddenSize: 30, numHeads: 2, mlpT: true }).success).toBe(true);
  });

  it("defaults to the reference's blocks: attention, SwiGLU widths ceiled to 256", () => {
    const c = hrmConfigSchema.parse({});
    expect(c.mlpT).toBe(false);
    expect(c.swigluMultiple).toBe(256);
    expect(hrmConfigSchema.parse(hrmPresets["sudoku6-mlp-lite"])).toMatchObject({ mlpT: true, swigluMultiple: 1, posEncodings: "none" });
  });

  it("parses every preset; tiny is the reference fixture's config apart from exploration", () => {
    for (const [name, p] of Object.entries(hrmPresets)) expect(hrmConfigSchema.safeParse(p).success, name).toBe(true);
    expect({ ...hrmConfigSchema.parse(hrmPresets.tiny), haltExplorationProb: 0 }).toEqual(fixtureConfig());
    for (const name of ["sudoku", "arc", "maze"] as const) {
      expect(hrmPresets[name]).toMatchObject({ hiddenSize: 512, numHeads: 8, cycles: 2, latentSteps: 2, hLayers: 4, lLayers: 4 });
    }
  });

  it("describes the plugin's architecture with presets and a default", () => {
    expect(hrm.name).toBe("@recurse/hrm");
    expect(hrm.architectures!.map((a) => a.id)).toEqual(["hrm"]);
    const arch = hrm.architectures![0];
    expect(Object.keys(arch.presets).sort()).toEqual(["arc", "maze", "sudoku", "sudoku6", "sudoku6-mlp-lite", "tiny"]);
    expect(Object.keys(arch.presets)).toContain(arch.defaultPreset);
  });
});
