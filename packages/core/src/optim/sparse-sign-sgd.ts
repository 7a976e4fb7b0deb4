import { tf } from "../tf";
import { CheckpointError, ShapeError } from "../errors";
import type { OptimizerState } from "./state";

/** Settings of {@link SparseSignSGD}. */
export interface SparseSignSGDOptions {
  /** Decoupled weight decay of the touched rows; default 0.1. */
  weightDecay?: number;
}

/**
 * Sign SGD for the puzzle-embedding table, as the reference's `CastedSparseEmbeddingSignSGD_Distributed`:
 * gradients of a batch's rows are summed per unique id, and only those rows change:
 * `p ← p·(1 − lr·wd) − lr·sign(Σ g)`. Rows of ids absent from the batch keep their value (no decay either).
 *
 * @example
 * ```ts
 * const sgd = new SparseSignSGD(puzzleEmbedding.table, { weightDecay: 1.0 });
 * sgd.step(batch.puzzleIds, puzzleRowGrad, 1e-4); // puzzleRowGrad: [B, width]
 * ```
 */
export class SparseSignSGD {
  readonly kind = "sparse-sign-sgd";
  readonly weightDecay: number;

  constructor(
    readonly table: tf.Variable,
    options: SparseSignSGDOptions = {},
  ) {
    this.weightDecay = options.weightDecay ?? 0.1;
  }

  /**
   * Update the rows of `ids` from the gradient of the gathered rows.
   * @param ids [B] puzzle ids of the batch rows
   * @param grad [B, width] gradient w.r.t. the gathered rows (the reference's `local_weights.grad`)
   */
  step(ids: Int32Array, grad: tf.Tensor, lr: number): void {
    const [numIds, width] = this.table.shape;
    if (grad.rank !== 2 || grad.shape[0] !== ids.length || grad.shape[1] !== width) {
      throw new ShapeError(`puzzle-embedding gradient has shape [${grad.shape}], expected [${ids.length}, ${width}]`);
    }
    // Unique ids in first-seen order, and the batch rows sorted by their unique slot (segment ids must ascend).
    const slotOf = new Map<number, number>();
    for (const id of ids) {
      if (id < 0 || id >= numIds) throw new ShapeError(`puzzle id ${id} is outside the table's [0, ${numIds})`);
      if (!slotOf.has(id)) slotOf.set(id, slotOf.size);
    }
    const order = Array.from(ids.keys()).sort((a, b) => slotOf.get(ids[a])! - slotOf.get(ids[b])! || a - b);
    const segments = Int32Array.from(order, (row) => slotOf.get(ids[row])!);
    const unique = Int32Array.from(slotOf.keys());
    const decay = 1 - lr * this.weightDecay;
    tf.tidy(() => {
      const summed = tf.sparse.sparseSegmentSum(grad, Int32Array.from(order), segments); // [U, width]
      const rows = tf.gather(this.table, unique); // [U, width]
      const updated = tf.sub(tf.mul(rows, decay), tf.mul(tf.sign(summed), lr));
      this.table.assign(tf.tensorScatterUpdate(this.table, tf.tensor2d(unique, [unique.length, 1], "int32"), updated));
    });
  }

  exportState(): OptimizerState {
    return { kind: this.kind, meta: { weightDecay: this.weightDecay }, tensors: new Map() };
  }

  importState(state: OptimizerState): void {
    if (state.kind !== this.kind) {
      throw new CheckpointError(`optimizer state is for '${state.kind}'`, { field: "optimizer.kind", expected: this.kind });
    }
  }
}
