import { ReasoningModule, TokenMixingBlock, TransformerBlock, type Rng } from "@recurse/core";
import type { BlockConfig } from "./config";

/**
 * The network of `config.layers` post-norm blocks: attention + SwiGLU, or (mlpT) token-mixing SwiGLU over the
 * `positions` axis + SwiGLU. Named `<name>.layers.<i>.*` as in the reference.
 */
export function buildNetwork(name: string, config: BlockConfig, positions: number, rng: Rng): ReasoningModule {
  return new ReasoningModule(name, config.layers, (blockName) =>
    config.mlpT
      ? new TokenMixingBlock(blockName, {
          hiddenSize: config.hiddenSize,
          positions,
          expansion: config.expansion,
          swigluMultiple: config.swigluMultiple,
          rmsNormEps: config.rmsNormEps,
          rng,
        })
      : new TransformerBlock(blockName, {
          hiddenSize: config.hiddenSize,
          numHeads: config.numHeads,
          expansion: config.expansion,
          swigluMultiple: config.swigluMultiple,
          rmsNormEps: config.rmsNormEps,
          rng,
        }),
  );
}
