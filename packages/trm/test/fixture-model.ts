/** Build a TRM reasoner with the configuration and weights of a fixtures/reference TRM set. */
import { TrmReasoner, loadWeights, trmConfigSchema, type NamedTensor } from "@recurse/trm";
import { loadFixtureJson, loadFixtureWeights, sharedFixtureConfig } from "../../../test-support/reference-fixtures";

export type TrmSet = "trm_attn" | "trm_mlp_t";

export function fixtureConfig(set: TrmSet) {
  const c = loadFixtureJson(set, "config").config_as_used;
  return trmConfigSchema.parse({ ...sharedFixtureConfig(c), layers: c.L_layers, puzzleEmbLen: c.puzzle_emb_len, mlpT: c.mlp_t });
}

/** The fixture's weights as a name -> {shape, data} map (every entry, non-persistent ones included). */
export function fixtureWeights(set: TrmSet): Map<string, NamedTensor> {
  return loadFixtureWeights(set);
}

export function fixtureModel(set: TrmSet): TrmReasoner {
  const model = new TrmReasoner(fixtureConfig(set));
  loadWeights(model, fixtureWeights(set), { source: `fixtures/reference/${set}/weights.json` });
  return model;
}
