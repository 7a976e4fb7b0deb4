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
export { buildReasonerIO } from "./io";
export { buildNetwork } from "./network";
export { TrmReasoner } from "./trm-reasoner";
export { TransformerBaselineReasoner } from "./baseline-reasoner";
// The shared I/O module, weight loading and counting live in core; re-exported for existing importers.
export {
  ReasonerIO,
  loadWeights,
  exportWeights,
  canonicalWeightName,
  countParameters,
  type WeightTensor as NamedTensor,
  type NamedWeights,
  type LoadWeightsOptions,
  type LoadWeightsReport,
} from "@recurse/core";
export { countConfigParameters } from "./parameter-count";
export { trm, trmArchitecture, transformerBaselineArchitecture } from "./plugin";
