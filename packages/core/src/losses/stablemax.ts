import { tf } from "../tf";
import { unaryCustomGrad } from "./unary-custom-grad";
import { IGNORE_LABEL } from "../reasoner/types";
import { labelMasks } from "./label-masks";

/**
 * The stablemax map s(x) = x + 1 for x ≥ 0 and 1 / (1 − x) for x < 0 (the reference adds 1e-30 to the
 * denominator, which is below float32 resolution there because 1 − x ≥ 1). Each branch is evaluated on inputs
 * clamped to its own domain, so neither can overflow where it is not selected.
 *
 * @example
 * ```ts
 * stablemax(tf.tensor1d([-1, 0, 2])); // [0.5, 1, 3]
 * ```
 */
export function stablemax(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const nonNegative = tf.greaterEqual(x, 0);
    const positive = tf.add(tf.maximum(x, 0), 1);
    const negative = tf.reciprocal(tf.sub(1, tf.minimum(x, 0)));
    return tf.where(nonNegative, positive, negative);
  });
}

/**
 * log(s(x_i) / Σ_j s(x_j)) over the last axis (the reference's `log_stablemax`), in float32.
 *
 * @example
 * ```ts
 * logStablemax(tf.tensor2d([[0, 1]])); // log([1/3, 2/3])
 * ```
 */
export function logStablemax(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const s = stablemax(x);
    return tf.sub(tf.log(s), tf.log(tf.sum(s, -1, true)));
  });
}

/**
 * Per-token stablemax cross-entropy −log(s(x_label) / Σ_j s(x_j)), 0 where the label is `ignoreLabel`
 * (the reference's `stablemax_cross_entropy`, which it computes in float64).
 *
 * To keep float64-level relative accuracy in float32 it is evaluated as log1p(Σ_{j≠label} s_j / s_label): the
 * other classes' mass is summed on its own, so a confident (near-zero) loss does not cancel. The gradient is
 * analytic (custom gradient): with r(x) = s'(x)/s(x) = 1/s for x ≥ 0 and s for x < 0,
 * ∂CE/∂x_j = r_j · (s_j/S − [j = label]), finite everywhere (also at x = 1, where the unselected reference branch
 * has a 1e60 derivative).
 *
 * @param logits float32 [..., V]
 * @param labels int32 [...], values in [0, V) or `ignoreLabel`
 * @returns float32 [...]
 * @example
 * ```ts
 * const ce = stablemaxCrossEntropy(tf.tensor2d([[0, 1, -1]]), tf.tensor1d([1], "int32")); // [-log(2/3.5)]
 * ```
 */
export function stablemaxCrossEntropy(
  logits: tf.Tensor,
  labels: tf.Tensor,
  ignoreLabel: number = IGNORE_LABEL,
): tf.Tensor {
  const numClasses = logits.shape[logits.shape.length - 1];
  const op = unaryCustomGrad((x, save) => {
    const { valid, oneHot } = labelMasks(labels, numClasses, ignoreLabel); // [...], [..., V]
    const s = stablemax(x); // [..., V]
    const selected = tf.sum(tf.mul(s, oneHot), -1); // [...]
    const others = tf.sum(tf.mul(s, tf.sub(1, oneHot)), -1); // [...]
    const value = tf.where(tf.cast(valid, "bool"), tf.log1p(tf.div(others, selected)), tf.zerosLike(selected));
    save([x, oneHot, valid]);
    return {
      value,
      gradFunc: (dy, saved) => {
        const [xs, oh, v] = saved;
        const sx = stablemax(xs);
        const r = tf.where(tf.greaterEqual(xs, 0), tf.reciprocal(sx), sx); // s'(x)/s(x)
        const total = tf.sum(sx, -1, true);
        const scale = tf.expandDims(tf.mul(dy, v), -1);
        return tf.mul(tf.mul(r, tf.sub(tf.div(sx, total), oh)), scale);
      },
    };
  });
  return op(logits);
}
