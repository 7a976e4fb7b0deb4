import { tf } from "../tf";
import { AdamMoments } from "./moments";
import type { DenseOptimizer, OptimizerState } from "./state";

/** Settings every {@link DecoupledAdam} takes. */
export interface DecoupledAdamOptions {
  /** (β1, β2); default (0.9, 0.95) like the reference pretrain config. */
  betas?: [number, number];
  /** Decoupled weight decay, applied to every parameter; default 0.1. */
  weightDecay?: number;
}

/**
 * The Adam step AdamATan2 and AdamW share: decoupled weight decay applied first, the first moment by lerp, bias
 * corrections from a per-parameter step count, moments created lazily and exported as `<name>.exp_avg` /
 * `<name>.exp_avg_sq`:
 * ```
 * p ← p·(1 − lr·wd);  m ← lerp(m, g, 1−β1);  v ← secondMoment(v, g)
 * p ← p − lr/(1−β1^t) · direction(m, v, √(1−β2^t))
 * ```
 * A subclass gives the second-moment update and the direction, each as its reference computes them in float32.
 *
 * @example
 * ```ts
 * class SignAdam extends DecoupledAdam {
 *   readonly kind = "sign-adam";
 *   constructor(params: ReadonlyMap<string, tf.Variable>) { super(params, {}); }
 *   protected secondMoment(v: tf.Tensor, g: tf.Tensor) { return tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - this.beta2)); }
 *   protected direction(m: tf.Tensor) { return tf.sign(m); }
 * }
 * ```
 */
export abstract class DecoupledAdam implements DenseOptimizer {
  abstract readonly kind: string;
  readonly beta1: number;
  readonly beta2: number;
  readonly weightDecay: number;
  private readonly moments = new AdamMoments();

  protected constructor(
    private readonly params: ReadonlyMap<string, tf.Variable>,
    options: DecoupledAdamOptions,
  ) {
    [this.beta1, this.beta2] = options.betas ?? [0.9, 0.95];
    this.weightDecay = options.weightDecay ?? 0.1;
  }

  /** New second moment from the previous one `v` and the gradient `g`. */
  protected abstract secondMoment(v: tf.Tensor, g: tf.Tensor): tf.Tensor;

  /** Update direction (before the lr/(1−β1^t) scale) from the new moments; `bc2Sqrt` = √(1−β2^t). */
  protected abstract direction(m: tf.Tensor, v: tf.Tensor, bc2Sqrt: number): tf.Tensor;

  step(grads: ReadonlyMap<string, tf.Tensor>, lr: number): void {
    for (const [name, p] of this.params) {
      const g = grads.get(name);
      if (!g) continue;
      const { m, v, t } = this.moments.next(name, p);
      const stepSize = lr / (1 - this.beta1 ** t);
      const bc2Sqrt = Math.sqrt(1 - this.beta2 ** t);
      tf.tidy(() => {
        const decayed = tf.mul(p, 1 - lr * this.weightDecay);
        const m1 = tf.add(m, tf.mul(tf.sub(g, m), 1 - this.beta1));
        const v1 = this.secondMoment(v, g);
        p.assign(tf.sub(decayed, tf.mul(this.direction(m1, v1, bc2Sqrt), stepSize)));
        m.assign(m1);
        v.assign(v1);
      });
    }
  }

  /** The settings saved beside the moments (checkpoints record them). */
  protected hyperparameters(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, weightDecay: this.weightDecay };
  }

  exportState(): OptimizerState {
    return this.moments.export(this.kind, this.hyperparameters());
  }

  importState(state: OptimizerState): void {
    this.moments.import(this.kind, state);
  }

  dispose(): void {
    this.moments.dispose();
  }
}
