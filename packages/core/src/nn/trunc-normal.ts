import { tf } from "../tf";
import { Rng } from "../rng";
import { erf, erfinv } from "./special-functions";

/**
 * The standard deviation the untruncated normal needs so that, after truncation at `[lower, upper]` standard
 * deviations, the samples have exactly `std` (the JAX-style correction of the reference's `trunc_normal_init_`).
 *
 * @example
 * ```ts
 * truncNormalCompensatedStd(1); // ≈ 1.1373 for the default ±2 truncation
 * ```
 */
export function truncNormalCompensatedStd(std: number, lower = -2, upper = 2): number {
  const sqrt2 = Math.SQRT2;
  const a = erf(lower / sqrt2);
  const b = erf(upper / sqrt2);
  const z = (b - a) / 2;
  const c = 1 / Math.sqrt(2 * Math.PI);
  // The reference names these the other way round; the formula is what matters.
  const pdfU = c * Math.exp(-0.5 * lower * lower);
  const pdfL = c * Math.exp(-0.5 * upper * upper);
  return std / Math.sqrt(1 - (upper * pdfU - lower * pdfL) / z - ((pdfU - pdfL) / z) ** 2);
}

/**
 * Samples of the reference's `trunc_normal_init_(tensor, std, lower, upper)`: x = erfinv(U(erf(lower/√2),
 * erf(upper/√2))) · √2 · comp_std, clipped to [lower·comp_std, upper·comp_std], where comp_std makes the
 * truncated distribution's standard deviation equal `std`. `std == 0` gives zeros and draws nothing.
 *
 * @example
 * ```ts
 * const w = truncNormalValues(64 * 32, 1 / Math.sqrt(32), new Rng(0)); // LeCun normal for a 32-in layer
 * ```
 */
export function truncNormalValues(size: number, std: number, rng: Rng, lower = -2, upper = 2): Float32Array {
  const out = new Float32Array(size);
  if (std === 0) return out;
  const sqrt2 = Math.SQRT2;
  const a = erf(lower / sqrt2);
  const b = erf(upper / sqrt2);
  const compStd = truncNormalCompensatedStd(std, lower, upper);
  const scale = sqrt2 * compStd;
  const lo = lower * compStd;
  const hi = upper * compStd;
  for (let i = 0; i < size; i++) {
    const u = a + (b - a) * rng.next();
    const x = erfinv(u) * scale;
    out[i] = x < lo ? lo : x > hi ? hi : x;
  }
  return out;
}

/**
 * A tensor of the given shape filled by {@link truncNormalValues}.
 *
 * @example
 * ```ts
 * const w = truncNormal([256, 64], 1 / Math.sqrt(64), rng); // [out, in]
 * ```
 */
export function truncNormal(shape: number[], std: number, rng: Rng, lower = -2, upper = 2): tf.Tensor {
  const size = shape.reduce((p, d) => p * d, 1);
  return tf.tensor(truncNormalValues(size, std, rng, lower, upper), shape, "float32");
}
