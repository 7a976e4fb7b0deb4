/** Build an HRM reasoner with the configuration and weights of fixtures/reference/hrm. */
import { loadWeights, type WeightTensor } from "@recurse/core";
import { HrmReasoner, hrmConfigSchema, type HrmConfig } from "@recurse/hrm";
import { loadFixtureJson, loadFixtureTensors } from "../../../test-support/reference-fixtures";

/** The fixture's config_as_used, mapped field by field onto ours. */
export function fixtureConfig(): HrmConfig {
  const c = loadFixtureJson("hrm", "config").config_as_used;
  return hrmConfigSchema.parse({
    hiddenSize: c.hidden_size,
    numHeads: c.num_heads,
    expansion: c.expansion,
    cycles: c.H_cycles,
    latentSteps: c.L_cycles,
    hLayers: c.H_layers,
    lLayers: c.L_layers,
    puzzleEmbNdim: c.puzzle_emb_ndim,
    posEncodings: c.pos_encodings,
    vocabSize: c.vocab_size,
    seqLen: c.seq_len,
    numPuzzleIdentifiers: c.num_puzzle_identifiers,
    haltMaxSteps: c.halt_max_steps,
    haltExplorationProb: c.halt_exploration_prob,
    loss: "stablemax",
    ropeTheta: c.rope_theta,
    rmsNormEps: c.rms_norm_eps,
    seed: 0,
  });
}

/** The fixture's weights as a name -> {shape, data} map (every entry, non-persistent ones included). */
export function fixtureWeights(): Map<string, WeightTensor> {
  const out = new Map<string, WeightTensor>();
  for (const [name, t] of loadFixtureTensors("hrm", "weights")) {
    if (t.dtype === "float32") out.set(name, { shape: t.shape, data: t.data as Float32Array });
  }
  return out;
}

export function fixtureModel(): HrmReasoner {
  const model = new HrmReasoner(fixtureConfig());
  loadWeights(model, fixtureWeights(), { source: "fixtures/reference/hrm/weights.json" });
  return model;
}
