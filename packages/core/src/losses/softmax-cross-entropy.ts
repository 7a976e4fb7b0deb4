import { tf } from "../tf";
import { unaryCustomGrad } from "./unary-custom-grad";
import { IGNORE_LABEL } from "../reasoner/types";
import { labelMasks } from "./label-masks";

/**
 * Per-token softmax cross-entropy logsumexp(x) − x_label, 0 where the label is `ignoreLabel` (the reference's
 * `F.cross_entropy(..., reduction="none")` in float32). Gradient: softmax − one-hot, zero on ignored positions.
 *
 * @param logits float32 [..., V]
 * @param labels int32 [...]
 * @returns float32 [...]
 * @example
 * ```ts
 * softmaxCrossEntropy(tf.tensor2d([[0, 0]]), tf.tensor1d([0], "int32")); // [log 2]
 * ```
 */
export function softmaxCrossEntropy(
  logits: tf.Tensor,
  labels: tf.Tensor,
  ignoreLabel: number = IGNORE_LABEL,
): tf.Tensor {
  const numClasses = logits.shape[logits.shape.length - 1];
  const op = unaryCustomGrad((x, save) => {
    const { valid, oneHot } = labelMasks(labels, numClasses, ignoreLabel);
    const lse = tf.logSumExp(x, -1); // [...]
    const value = tf.where(tf.cast(valid, "bool"), tf.sub(lse, tf.sum(tf.mul(x, oneHot), -1)), tf.zerosLike(lse));
    save([x, oneHot, valid]);
    return {
      value,
      gradFunc: (dy, saved) => {
        const [xs, oh, v] = saved;
        return tf.mul(tf.sub(tf.softmax(xs, -1), oh), tf.expandDims(tf.mul(dy, v), -1));
      },
    };
  });
  return op(logits);
}
