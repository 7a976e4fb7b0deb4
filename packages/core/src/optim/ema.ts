import { tf } from "../tf";
import { CheckpointError } from "../errors";
import type { OptimizerState } from "./state";

/**
 * Exponential moving average of the network weights (the reference's `EMAHelper`, TRM only): the shadow starts as
 * a copy of the weights and after every optimizer step becomes `(1 − μ)·param + μ·shadow`. Evaluation and saved
 * checkpoints use the shadow. The puzzle-embedding table is not a parameter and is not averaged.
 *
 * @example
 * ```ts
 * const ema = new Ema(model.parameters(), 0.999);
 * // after each optimizer step:
 * ema.update(model.parameters());
 * await ema.withShadow(model.parameters(), () => evaluate(model, split));
 * ```
 */
export class Ema {
  readonly kind = "ema";
  private readonly shadows = new Map<string, tf.Variable>();

  constructor(
    params: ReadonlyMap<string, tf.Tensor>,
    readonly rate = 0.999,
  ) {
    for (const [name, p] of params) this.shadows.set(name, tf.tidy(() => tf.variable(p.clone(), false)));
  }

  /** shadow ← (1 − μ)·param + μ·shadow for every parameter. */
  update(params: ReadonlyMap<string, tf.Tensor>): void {
    const mu = this.rate;
    for (const [name, shadow] of this.shadows) {
      const p = params.get(name);
      if (!p) throw new CheckpointError(`EMA has a shadow for '${name}' but the model has no such parameter`);
      tf.tidy(() => shadow.assign(tf.add(tf.mul(p, 1 - mu), tf.mul(shadow, mu))));
    }
  }

  /** The averaged weights by parameter name (owned by the EMA; do not dispose). */
  get shadow(): ReadonlyMap<string, tf.Variable> {
    return this.shadows;
  }

  /**
   * Run `fn` with the shadow weights loaded into `params`, then put the trained weights back (also when `fn`
   * throws).
   */
  async withShadow<T>(params: ReadonlyMap<string, tf.Variable>, fn: () => T | Promise<T>): Promise<T> {
    const saved = new Map<string, tf.Tensor>();
    for (const [name, shadow] of this.shadows) {
      const p = params.get(name);
      if (!p) continue;
      saved.set(name, p.clone());
      p.assign(shadow);
    }
    try {
      return await fn();
    } finally {
      for (const [name, value] of saved) {
        params.get(name)!.assign(value);
        value.dispose();
      }
    }
  }

  exportState(): OptimizerState {
    const tensors = new Map<string, tf.Tensor>();
    for (const [name, s] of this.shadows) tensors.set(name, s.clone());
    return { kind: this.kind, meta: { rate: this.rate }, tensors };
  }

  importState(state: OptimizerState): void {
    if (state.kind !== this.kind) {
      throw new CheckpointError(`state is for '${state.kind}'`, { field: "ema.kind", expected: this.kind });
    }
    for (const [name, shadow] of this.shadows) {
      const value = state.tensors.get(name);
      if (!value) throw new CheckpointError(`EMA state lacks '${name}'`, { field: "ema.tensors", expected: name });
      shadow.assign(value);
    }
  }

  dispose(): void {
    for (const s of this.shadows.values()) s.dispose();
    this.shadows.clear();
  }
}
