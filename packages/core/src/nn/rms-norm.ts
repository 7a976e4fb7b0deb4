import { tf } from "../tf";

/**
 * RMSNorm without weight or bias, over the last axis: x · rsqrt(mean(x², -1) + eps) (the reference's `rms_norm`,
 * computed in float32).
 *
 * @example
 * ```ts
 * const h = rmsNorm(x, 1e-5); // [B, L, D], each row rescaled to unit RMS
 * ```
 */
export function rmsNorm<T extends tf.Tensor>(x: T, eps = 1e-5): T {
  return tf.tidy(() => {
    const variance = x.square().mean(-1, true); // [..., 1]
    return x.mul(tf.rsqrt(variance.add(eps))) as T;
  });
}
