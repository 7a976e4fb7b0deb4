import { tf } from "../tf";
import { Module, joinName } from "./module";
import type { Block, BlockContext } from "./block";

/**
 * The reference's ReasoningModule: h = hidden + injection, then each block in turn. Blocks are named
 * `<name>.layers.<i>`.
 *
 * @example
 * ```ts
 * const net = new ReasoningModule("inner.L_level", 2, (name) => new TransformerBlock(name, { ...dims, rng }));
 * const z = net.apply(zL, zH.add(x), { rope }); // TRM latent update: z ← net(z + y + x)
 * ```
 */
export class ReasoningModule extends Module {
  readonly layers: Block[];

  constructor(name: string, numLayers: number, makeBlock: (name: string, index: number) => Block) {
    super(name);
    this.layers = [];
    for (let i = 0; i < numLayers; i++) this.layers.push(this.addModule(makeBlock(joinName(name, `layers.${i}`), i)));
  }

  /** hidden, injection [B, S, D] -> [B, S, D] */
  apply(hidden: tf.Tensor3D, injection: tf.Tensor3D, context: BlockContext = {}): tf.Tensor3D {
    return tf.tidy(() => {
      let h = hidden.add(injection) as tf.Tensor3D;
      for (const layer of this.layers) h = layer.apply(h, context);
      context.hook?.(this.name, h);
      return h;
    });
  }
}
