import { tf } from "../tf";
import { CheckpointError } from "../errors";
import type { OptimizerState } from "./state";

/**
 * First and second moments plus a step counter per parameter: the state shared by AdamATan2 and AdamW, created
 * lazily at a parameter's first update (as torch does) and exported as `<name>.exp_avg`, `<name>.exp_avg_sq`.
 */
export class AdamMoments {
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();
  readonly steps = new Map<string, number>();

  /** Moments of `name` (zeros on first use) and its incremented step count. */
  next(name: string, like: tf.Tensor): { m: tf.Variable; v: tf.Variable; t: number } {
    let m = this.m.get(name);
    let v = this.v.get(name);
    if (!m || !v) {
      m = tf.tidy(() => tf.variable(tf.zerosLike(like), false));
      v = tf.tidy(() => tf.variable(tf.zerosLike(like), false));
      this.m.set(name, m);
      this.v.set(name, v);
    }
    const t = (this.steps.get(name) ?? 0) + 1;
    this.steps.set(name, t);
    return { m, v, t };
  }

  export(kind: string, hyper: Record<string, unknown>): OptimizerState {
    const tensors = new Map<string, tf.Tensor>();
    for (const [name, m] of this.m) {
      tensors.set(`${name}.exp_avg`, m.clone());
      tensors.set(`${name}.exp_avg_sq`, this.v.get(name)!.clone());
    }
    return { kind, meta: { ...hyper, steps: Object.fromEntries(this.steps) }, tensors };
  }

  import(kind: string, state: OptimizerState): void {
    if (state.kind !== kind) {
      throw new CheckpointError(`optimizer state is for '${state.kind}'`, { field: "optimizer.kind", expected: kind });
    }
    const steps = (state.meta.steps ?? {}) as Record<string, number>;
    this.dispose();
    for (const [name, t] of Object.entries(steps)) {
      const m = state.tensors.get(`${name}.exp_avg`);
      const v = state.tensors.get(`${name}.exp_avg_sq`);
      if (!m || !v) {
        throw new CheckpointError(`optimizer state lacks the moments of '${name}'`, {
          field: `optimizer.tensors`,
          expected: `${name}.exp_avg and ${name}.exp_avg_sq`,
        });
      }
      this.m.set(name, tf.tidy(() => tf.variable(m.clone(), false)));
      this.v.set(name, tf.tidy(() => tf.variable(v.clone(), false)));
      this.steps.set(name, t);
    }
  }

  dispose(): void {
    for (const t of this.m.values()) t.dispose();
    for (const t of this.v.values()) t.dispose();
    this.m.clear();
    this.v.clear();
    this.steps.clear();
  }
}
