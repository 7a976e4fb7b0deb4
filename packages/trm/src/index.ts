/**
 * @recurse/trm: the Tiny Recursive Model (attention and MLP-mixer variants) and the single-pass transformer
 * baseline, as a Recurse plugin.
 */
export {
  trmConfigSchema,
  transformerBaselineConfigSchema,
  puzzlePrefixLength,
  type TrmConfig,
  type TrmConfigInput,
  type TransformerBaselineConfig,
  type TransformerBaselineConfigInput,
  type BlockConfig,
} from "./config";
export { trmPresets, transformerBaselinePresets } from "./presets";
export { ReasonerIO } from "./io";
export { buildNetwork } from "./network";
export { TrmReasoner } from "./trm-reasoner";
export { TransformerBaselineReasoner } from "./baseline-reasoner";
export {
  loadWeights,
  exportWeights,
  canonicalWeightName,
  type NamedTensor,
  type NamedWeights,
  type LoadWeightsOptions,
  type LoadWeightsReport,
} from "./weights";
export { countConfigParameters, countParameters } from "./parameter-count";
export { trm, trmArchitecture, transformerBaselineArchitecture } from "./plugin";
