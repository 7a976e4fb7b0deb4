import { tf } from "../tf";
import { AdamMoments } from "./moments";
import type { DenseOptimizer, OptimizerState } from "./state";

/** Settings of {@link AdamW}. */
export interface AdamWOptions {
  /** (β1, β2); default (0.9, 0.95) like the reference pretrain config. */
  betas?: [number, number];
  /** Decoupled weight decay; default 0.1. */
  weightDecay?: number;
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
export class AdamW implements DenseOptimizer {
  readonly kind = "adamw";
  readonly beta1: number;
  readonly beta2: number;
  readonly weightDecay: number;
  readonly epsilon: number;
  private readonly moments = new AdamMoments();

  constructor(
    private readonly params: ReadonlyMap<string, tf.Variable>,
    options: AdamWOptions = {},
  ) {
    [this.beta1, this.beta2] = options.betas ?? [0.9, 0.95];
    this.weightDecay = options.weightDecay ?? 0.1;
    this.epsilon = options.epsilon ?? 1e-8;
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
        const v1 = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        const denom = tf.add(tf.div(tf.sqrt(v1), bc2Sqrt), this.epsilon);
        p.assign(tf.sub(decayed, tf.mul(tf.div(m1, denom), stepSize)));
        m.assign(m1);
        v.assign(v1);
      });
    }
  }

  exportState(): OptimizerState {
    return this.moments.export(this.kind, {
      beta1: this.beta1,
      beta2: this.beta2,
      weightDecay: this.weightDecay,
      epsilon: this.epsilon,
    });
  }

  importState(state: OptimizerState): void {
    this.moments.import(this.kind, state);
  }

  dispose(): void {
    this.moments.dispose();
  }
}
