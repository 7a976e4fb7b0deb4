import { tf } from "../../tf";

/**
 * `BatchMatMul` gradient that honours batch broadcasting. tfjs's own gradient returns per-slice gradients of the
 * output's batch shape, so `matMul([B, L, D], [D, N])` (or any broadcast batch) failed in backprop with "gradient of
 * input 'b' has shape [B, D, N]". Same formulas otherwise; broadcast axes are summed out, and a weight shared by
 * the whole batch gets its gradient from one tall product instead of B small ones.
 */

function sumToShape(grad: tf.Tensor, shape: number[]): tf.Tensor {
  if (tf.util.arraysEqual(grad.shape, shape)) return grad;
  // Axes of the gradient that `shape` lacks or has as 1 (the broadcast ones), in the gradient's indexing.
  const axes = tf.broadcast_util.getReductionAxes(shape, grad.shape);
  return tf.reshape(axes.length > 0 ? tf.sum(grad, axes, true) : grad, shape);
}

function batchSize(t: tf.Tensor): number {
  return tf.util.sizeFromShape(t.shape.slice(0, -2));
}

export const batchMatMulGradConfig: tf.GradConfig = {
  kernelName: "BatchMatMul",
  inputsToSave: ["a", "b"],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved as tf.Tensor[];
    const dyT = dy as tf.Tensor;
    const { transposeA, transposeB } = attrs as unknown as {
      transposeA: boolean;
      transposeB: boolean;
    };
    const tA = !!transposeA;
    const tB = !!transposeB;
    const sharedB = batchSize(b) === 1 && batchSize(a) > 1 && !tA;

    const da = () => {
      let g: tf.Tensor;
      if (!tA && !tB) g = tf.matMul(dyT, b, false, true);
      else if (!tA && tB) g = tf.matMul(dyT, b, false, false);
      else if (tA && !tB) g = tf.matMul(b, dyT, false, true);
      else g = tf.matMul(b, dyT, true, true);
      return sumToShape(g, a.shape);
    };
    const db = () => {
      if (sharedB) {
        // Every slice of A meets the same B: dB = A2ᵀ·dY2 over the folded rows [batch·M].
        const K = a.shape[a.shape.length - 1];
        const N = dyT.shape[dyT.shape.length - 1];
        const a2 = tf.reshape(a, [-1, K]); // [batch·M, K]
        const dy2 = tf.reshape(dyT, [-1, N]); // [batch·M, N]
        const g = tB ? tf.matMul(dy2, a2, true, false) : tf.matMul(a2, dy2, true, false);
        return tf.reshape(g, b.shape);
      }
      let g: tf.Tensor;
      if (!tA && !tB) g = tf.matMul(a, dyT, true, false);
      else if (!tA && tB) g = tf.matMul(dyT, a, true, false);
      else if (tA && !tB) g = tf.matMul(a, dyT, false, false);
      else g = tf.matMul(dyT, a, true, true);
      return sumToShape(g, b.shape);
    };
    return { a: da, b: db };
  },
};

/** Replace tfjs's `BatchMatMul` gradient with the broadcasting one (idempotent). */
export function installBatchMatMulGradient(): void {
  if (tf.getGradient("BatchMatMul") === batchMatMulGradConfig) return;
  if (tf.getGradient("BatchMatMul")) tf.unregisterGradient("BatchMatMul");
  tf.registerGradient(batchMatMulGradConfig);
}
