import { ReasoningModule, blockFactory, type Rng } from "@recurse/core";
import type { BlockConfig } from "./config";

/**
 * The network of `config.layers` post-norm blocks: attention + SwiGLU, or (mlpT) token-mixing SwiGLU over the
 * `positions` axis + SwiGLU. Named `<name>.layers.<i>.*` as in the reference.
 */
export function buildNetwork(name: string, config: BlockConfig, positions: number, rng: Rng): ReasoningModule {
  return new ReasoningModule(name, config.layers, blockFactory(config, positions, rng));
}
