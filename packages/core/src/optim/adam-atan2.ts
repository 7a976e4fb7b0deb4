import { tf } from "../tf";
import { AdamMoments } from "./moments";
import type { DenseOptimizer, OptimizerState } from "./state";

/** Settings of {@link AdamATan2} (the reference's pretrain defaults). */
export interface AdamATan2Options {
  /** (β1, β2); default (0.9, 0.95). */
  betas?: [number, number];
  /** Decoupled weight decay, applied to every parameter; default 0.1. */
  weightDecay?: number;
}

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
export class AdamATan2 implements DenseOptimizer {
  readonly kind = "adam-atan2";
  readonly beta1: number;
  readonly beta2: number;
  readonly weightDecay: number;
  private readonly moments = new AdamMoments();

  constructor(
    private readonly params: ReadonlyMap<string, tf.Variable>,
    options: AdamATan2Options = {},
  ) {
    [this.beta1, this.beta2] = options.betas ?? [0.9, 0.95];
    this.weightDecay = options.weightDecay ?? 0.1;
  }

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
        const v1 = tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - this.beta2));
        const denom = tf.div(tf.sqrt(v1), bc2Sqrt);
        p.assign(tf.sub(decayed, tf.mul(tf.atan2(m1, denom), stepSize)));
        m.assign(m1);
        v.assign(v1);
      });
    }
  }

  exportState(): OptimizerState {
    return this.moments.export(this.kind, { beta1: this.beta1, beta2: this.beta2, weightDecay: this.weightDecay });
  }

  importState(state: OptimizerState): void {
    this.moments.import(this.kind, state);
  }

  dispose(): void {
    this.moments.dispose();
  }
}
