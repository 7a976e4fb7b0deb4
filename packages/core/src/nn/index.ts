export { erf, erfinv } from "./special-functions";
export { truncNormal, truncNormalValues, truncNormalCompensatedStd } from "./trunc-normal";
export { Module, joinName } from "./module";
export { Linear, type LinearOptions } from "./linear";
export { Embedding, type EmbeddingOptions } from "./embedding";
export { rmsNorm } from "./rms-norm";
export { RotaryEmbedding, ropeTables, rotateHalf, type RopeTables } from "./rope";
export { Attention, type AttentionOptions } from "./attention";
export { SwiGLU, swigluIntermediateSize, type SwiGLUOptions } from "./swiglu";
export { Block, type BlockContext } from "./block";
export { TransformerBlock, type TransformerBlockOptions } from "./transformer-block";
export { TokenMixingBlock, type TokenMixingBlockOptions } from "./token-mixing-block";
export { ReasoningModule } from "./reasoning-module";
export { blockFactory, blockParameterCount, ioPosEncodings, type BlockKind } from "./block-factory";
export { ReasonerIO, type ReasonerIOOptions } from "./reasoner-io";
export { ReasonerBase, type ReasonerBaseOptions } from "./reasoner-base";
export { reasonerConfigFields } from "./reasoner-config-fields";
export {
  loadWeights,
  exportWeights,
  canonicalWeightName,
  type WeightTensor,
  type NamedWeights,
  type LoadWeightsOptions,
  type LoadWeightsReport,
} from "./reasoner-weights";
export {
  countParameters,
  swigluParameterCount,
  attentionParameterCount,
  transformerBlockParameterCount,
  reasonerIOParameterCount,
} from "./parameter-count";
