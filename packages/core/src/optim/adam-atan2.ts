import { tf } from "../tf";
import { DecoupledAdam, type DecoupledAdamOptions } from "./decoupled-adam";

/** Settings of {@link AdamATan2} (the reference's pretrain defaults). */
export type AdamATan2Options = DecoupledAdamOptions;

/**
 * Adam-atan2 exactly as the reference optimizer (imoneoi/adam-atan2): no epsilon, decoupled weight decay applied
 * first, moments by lerp, and the update direction atan2(m, √v / √(1−β2^t)) scaled by lr / (1−β1^t):
 * ```
 * p ← p·(1 − lr·wd);  m ← lerp(m, g, 1−β1);  v ← lerp(v, g², 1−β2)
 * p ← p − lr/(1−β1^t) · atan2(m, √v / √(1−β2^t))
 * ```
 *
 * @example
 * ```ts
 * const opt = new AdamATan2(model.parameters(), { weightDecay: 1.0 });
 * opt.step(grads, schedule(step));
 * ```
 */
export class AdamATan2 extends DecoupledAdam {
  readonly kind = "adam-atan2";

  constructor(params: ReadonlyMap<string, tf.Variable>, options: AdamATan2Options = {}) {
    super(params, options);
  }

  /** v ← lerp(v, g², 1−β2) */
  protected secondMoment(v: tf.Tensor, g: tf.Tensor): tf.Tensor {
    return tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - this.beta2));
  }

  /** atan2(m, √v / √(1−β2^t)): bounded, so no epsilon */
  protected direction(m: tf.Tensor, v: tf.Tensor, bc2Sqrt: number): tf.Tensor {
    return tf.atan2(m, tf.div(tf.sqrt(v), bc2Sqrt));
  }
}
