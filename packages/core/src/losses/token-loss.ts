import { tf } from "../tf";
import { IGNORE_LABEL, type LossType } from "../reasoner/types";
import { softmaxCrossEntropy } from "./softmax-cross-entropy";
import { stablemaxCrossEntropy } from "./stablemax";

/**
 * Per-token cross-entropy of the given kind (`stablemax`, the reference default, or `softmax`).
 *
 * @example
 * ```ts
 * const ce = tokenCrossEntropy("stablemax", logits, labels); // [B, L]
 * ```
 */
export function tokenCrossEntropy(
  kind: LossType,
  logits: tf.Tensor,
  labels: tf.Tensor,
  ignoreLabel: number = IGNORE_LABEL,
): tf.Tensor {
  return kind === "softmax"
    ? softmaxCrossEntropy(logits, labels, ignoreLabel)
    : stablemaxCrossEntropy(logits, labels, ignoreLabel);
}

/**
 * The loss head's language-model loss: each sequence's token losses divided by its count of supervised tokens
 * (at least 1), summed over the batch: Σ_i Σ_t CE_it / max(n_i, 1).
 *
 * @param perToken float32 [B, L] (0 on ignored positions)
 * @param labels int32 [B, L]
 * @returns float32 scalar
 * @example
 * ```ts
 * const lm = sequenceMeanLoss(tokenCrossEntropy("stablemax", logits, labels), labels);
 * ```
 */
export function sequenceMeanLoss(perToken: tf.Tensor, labels: tf.Tensor, ignoreLabel: number = IGNORE_LABEL): tf.Tensor {
  return tf.tidy(() => {
    const counts = tf.sum(tf.cast(tf.notEqual(labels, ignoreLabel), "float32"), -1, true); // [B, 1]
    return tf.sum(tf.div(perToken, tf.maximum(counts, 1)));
  });
}
