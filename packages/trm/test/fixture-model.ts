/** Build a TRM reasoner with the configuration and weights of a fixtures/reference TRM set. */
import { TrmReasoner, loadWeights, trmConfigSchema, type NamedTensor } from "@recurse/trm";
import { loadFixtureJson, loadFixtureTensors } from "../../../test-support/reference-fixtures";

export type TrmSet = "trm_attn" | "trm_mlp_t";

export function fixtureConfig(set: TrmSet) {
  const c = loadFixtureJson(set, "config").config_as_used;
  return trmConfigSchema.parse({
    hiddenSize: c.hidden_size,
    numHeads: c.num_heads,
    expansion: c.expansion,
    cycles: c.H_cycles,
    latentSteps: c.L_cycles,
    layers: c.L_layers,
    puzzleEmbLen: c.puzzle_emb_len,
    puzzleEmbNdim: c.puzzle_emb_ndim,
    posEncodings: c.pos_encodings,
    mlpT: c.mlp_t,
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
export function fixtureWeights(set: TrmSet): Map<string, NamedTensor> {
  const out = new Map<string, NamedTensor>();
  for (const [name, t] of loadFixtureTensors(set, "weights")) {
    if (t.dtype === "float32") out.set(name, { shape: t.shape, data: t.data as Float32Array });
  }
  return out;
}

export function fixtureModel(set: TrmSet): TrmReasoner {
  const model = new TrmReasoner(fixtureConfig(set));
  loadWeights(model, fixtureWeights(set), { source: `fixtures/reference/${set}/weights.json` });
  return model;
}
