import { tf } from "../tf";

/**
 * Masks shared by the token losses: `valid` (float 1 where the label is not ignored) and the one-hot of the
 * label over the classes (class 0 on ignored positions, so every row selects exactly one class; callers zero
 * ignored positions through `valid`).
 */
export function labelMasks(
  labels: tf.Tensor,
  numClasses: number,
  ignoreLabel: number,
): { valid: tf.Tensor; oneHot: tf.Tensor } {
  return tf.tidy(() => {
    const isValid = tf.notEqual(labels, ignoreLabel); // [...]
    const safe = tf.where(isValid, labels, tf.zerosLike(labels)).toInt(); // [...]
    const valid = tf.cast(isValid, "float32");
    // int32 one-hot then cast: the wasm backend's OneHot writes int bits into a float32 output (tfjs 4.22).
    const oneHot = tf.cast(tf.oneHot(safe, numClasses), "float32"); // [..., V]
    return { valid, oneHot };
  });
}
