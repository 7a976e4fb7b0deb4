/** Build an HRM reasoner with the configuration and weights of fixtures/reference/hrm. */
import { loadWeights, type WeightTensor } from "@recurse/core";
import { HrmReasoner, hrmConfigSchema, type HrmConfig } from "@recurse/hrm";
import { loadFixtureJson, loadFixtureWeights, sharedFixtureConfig } from "../../../test-support/reference-fixtures";

/** The fixture's config_as_used, mapped field by field onto ours. */
export function fixtureConfig(): HrmConfig {
  const c = loadFixtureJson("hrm", "config").config_as_used;
  return hrmConfigSchema.parse({ ...sharedFixtureConfig(c), hLayers: c.H_layers, lLayers: c.L_layers });
}

/** The fixture's weights as a name -> {shape, data} map (every entry, non-persistent ones included). */
export function fixtureWeights(): Map<string, WeightTensor> {
  return loadFixtureWeights("hrm");
}

export function fixtureModel(): HrmReasoner {
  const model = new HrmReasoner(fixtureConfig());
  loadWeights(model, fixtureWeights(), { source: "fixtures/reference/hrm/weights.json" });
  return model;
}
