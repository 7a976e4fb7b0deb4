import { tf } from "../tf";
import { DecoupledAdam, type DecoupledAdamOptions } from "./decoupled-adam";

/** Settings of {@link AdamW}. */
export interface AdamWOptions extends DecoupledAdamOptions {
  /** Added to the bias-corrected √v; default 1e-8. */
  epsilon?: number;
}

/**
 * AdamW as torch.optim.AdamW (what the TRM paper names):
 * ```
 * p ← p·(1 − lr·wd);  m ← lerp(m, g, 1−β1);  v ← β2·v + (1−β2)·g²
 * p ← p − lr/(1−β1^t) · m / (√v/√(1−β2^t) + ε)
 * ```
 *
 * @example
 * ```ts
 * const opt = new AdamW(model.parameters(), { weightDecay: 0.1 });
 * opt.step(grads, 1e-4);
 * ```
 */
export class AdamW extends DecoupledAdam {
  readonly kind = "adamw";
  readonly epsilon: number;

  constructor(params: ReadonlyMap<string, tf.Variable>, options: AdamWOptions = {}) {
    super(params, options);
    this.epsilon = options.epsilon ?? 1e-8;
  }

  /** v ← β2·v + (1−β2)·g², as torch computes it (not a lerp, which rounds differently in float32) */
  protected secondMoment(v: tf.Tensor, g: tf.Tensor): tf.Tensor {
    return tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
  }

  /** m / (√v/√(1−β2^t) + ε) */
  protected direction(m: tf.Tensor, v: tf.Tensor, bc2Sqrt: number): tf.Tensor {
    return tf.div(m, tf.add(tf.div(tf.sqrt(v), bc2Sqrt), this.epsilon));
  }

  protected override hyperparameters(): Record<string, unknown> {
    return { ...super.hyperparameters(), epsilon: this.epsilon };
  }
}
