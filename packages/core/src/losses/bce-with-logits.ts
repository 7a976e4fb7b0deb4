import { tf } from "../tf";
import { unaryCustomGrad } from "./unary-custom-grad";

/** How {@link bceWithLogits} reduces the elementwise losses. */
export type Reduction = "sum" | "mean" | "none";

/**
 * Binary cross-entropy on logits, max(x, 0) − x·t + log1p(exp(−|x|)) (the reference's
 * `F.binary_cross_entropy_with_logits`; the loss head uses `reduction="sum"`). Gradient: sigmoid(x) − t, also at
 * x = 0. Targets receive no gradient (they are constants in every use).
 *
 * @example
 * ```ts
 * bceWithLogits(tf.tensor1d([0, 2]), tf.tensor1d([1, 0])); // scalar log 2 + softplus(2)
 * ```
 */
export function bceWithLogits(logits: tf.Tensor, targets: tf.Tensor, reduction: Reduction = "sum"): tf.Tensor {
  const op = unaryCustomGrad((x, save) => {
    const t = tf.cast(targets, "float32");
    const elementwise = tf.add(tf.sub(tf.relu(x), tf.mul(x, t)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
    save([x, t]);
    const value =
      reduction === "sum" ? tf.sum(elementwise) : reduction === "mean" ? tf.mean(elementwise) : elementwise;
    return {
      value,
      gradFunc: (dy, saved) => {
        const [xs, ts] = saved;
        const scale = reduction === "mean" ? tf.div(dy, xs.size) : dy;
        return tf.mul(tf.sub(tf.sigmoid(xs), ts), scale);
      },
    };
  });
  return op(logits);
}
