/**
 * @recurse/core: the tensor engine, nn blocks, losses, optimizers, the recursive reasoner contract and its
 * recursion/deep-supervision engine, the trainer, file formats, checkpoints and the registry.
 */
export { tf } from "./tf";
export type { Tensor } from "./tf";
export * from "./errors";
export { Rng } from "./rng";
export * from "./engine/index";
export * from "./nn/index";
export * from "./losses/index";
export * from "./optim/index";
export * from "./reasoner/index";
export * from "./train/index";
export * from "./registry/index";
export * from "./formats/index";
