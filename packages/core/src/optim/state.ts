import type { tf } from "../tf";

/**
 * Everything an optimizer (or EMA) needs to continue exactly where it stopped: JSON-able settings and counters in
 * `meta`, tensors by name in `tensors` (e.g. `<param>.exp_avg`). Exported tensors are copies owned by the caller.
 */
export interface OptimizerState {
  /** Which optimizer wrote it, e.g. `adam-atan2`; importing into another kind fails. */
  kind: string;
  meta: Record<string, unknown>;
  tensors: Map<string, tf.Tensor>;
}

/** The learning-rate-driven optimizer interface the trainer uses for the network parameters. */
export interface DenseOptimizer {
  readonly kind: string;
  /**
   * One update of every parameter that has a gradient (parameters without one are left untouched, as torch does
   * for `grad is None`). `lr` is this step's learning rate (see {@link cosineScheduleWithWarmup}).
   */
  step(grads: ReadonlyMap<string, tf.Tensor>, lr: number): void;
  exportState(): OptimizerState;
  importState(state: OptimizerState): void;
  /** Release the moment tensors. */
  dispose(): void;
}
