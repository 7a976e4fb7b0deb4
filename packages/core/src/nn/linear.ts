import { tf } from "../tf";
import { Rng } from "../rng";
import { Module } from "./module";
import { truncNormal } from "./trunc-normal";

export interface LinearOptions {
  inFeatures: number;
  outFeatures: number;
  /** Add a bias (zero-initialised, as the reference's CastedLinear). Default false. */
  bias?: boolean;
  /** Draws the LeCun truncated-normal weights (std 1/√inFeatures). */
  rng: Rng;
}

/**
 * The reference's `CastedLinear`: weight in torch layout [out, in] (state_dict `<name>.weight`), LeCun truncated
 * normal init, optional zero bias (`<name>.bias`). Applies over the last axis of any rank.
 *
 * @example
 * ```ts
 * const proj = new Linear("inner.lm_head", { inFeatures: 64, outFeatures: 8, rng: new Rng(0) });
 * const logits = proj.apply(h); // [B, L, 64] -> [B, L, 8]
 * ```
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** [out, in] */
  readonly weight: tf.Variable;
  /** [out], or null */
  readonly bias: tf.Variable | null;

  constructor(name: string, options: LinearOptions) {
    super(name);
    this.inFeatures = options.inFeatures;
    this.outFeatures = options.outFeatures;
    this.weight = this.addParameter(
      "weight",
      truncNormal([options.outFeatures, options.inFeatures], 1 / Math.sqrt(options.inFeatures), options.rng),
    );
    this.bias = options.bias ? this.addParameter("bias", tf.zeros([options.outFeatures])) : null;
  }

  /** x [..., in] -> [..., out] */
  apply<T extends tf.Tensor>(x: T): T {
    return tf.tidy(() => {
      const shape = x.shape;
      if (shape[shape.length - 1] !== this.inFeatures) {
        throw new Error(`${this.name}: input last axis ${shape[shape.length - 1]} != in_features ${this.inFeatures}`);
      }
      const rows = x.reshape([-1, this.inFeatures]) as tf.Tensor2D; // [N, in]
      let y: tf.Tensor = tf.matMul(rows, this.weight as tf.Tensor2D, false, true); // [N, out]
      if (this.bias) y = y.add(this.bias);
      return y.reshape([...shape.slice(0, -1), this.outFeatures]) as T;
    });
  }
}
