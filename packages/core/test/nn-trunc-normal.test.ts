import { describe, expect, it } from "vitest";
import { Rng, erf, erfinv, tf, truncNormal, truncNormalCompensatedStd, truncNormalValues, initEngine } from "@recurse/core";

describe("erf / erfinv", () => {
  it("match known values of erf", () => {
    // Values from Abramowitz & Stegun table 7.1 / high-precision references.
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erf(Math.SQRT2)).toBeCloseTo(0.9544997361036416, 15);
    expect(erf(2)).toBeCloseTo(0.9953222650189527, 15);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 15);
    expect(erf(-1)).toBeCloseTo(-0.8427007929497149, 15);
  });

  it("erfinv inverts erf to double precision", () => {
    // Near ±1 erfinv is ill-conditioned, so check the residual in y there and the round trip in x where stable.
    for (const x of [-2, -1.2345, -0.3, 1e-6, 0.1, 0.7, 1.4142]) {
      expect(Math.abs(erfinv(erf(x)) - x)).toBeLessThan(1e-13);
    }
    for (const y of [-0.9999999, -0.99, 0.5, 0.999, 0.99999999]) expect(Math.abs(erf(erfinv(y)) - y)).toBeLessThan(1e-14);
    expect(erfinv(1)).toBe(Infinity);
    expect(Number.isNaN(erfinv(1.5))).toBe(true);
  });
});

describe("truncNormal (reference trunc_normal_init_)", () => {
  it("compensates the std for the ±2 truncation", () => {
    // Variance of a standard normal truncated at ±2 is 1 - 4φ(2)/(Φ(2)-Φ(-2)) = 0.7737413...
    const truncatedVar = 1 - (4 * Math.exp(-2)) / Math.sqrt(2 * Math.PI) / erf(Math.SQRT2);
    expect(truncNormalCompensatedStd(1)).toBeCloseTo(1 / Math.sqrt(truncatedVar), 12);
    expect(truncNormalCompensatedStd(0.25)).toBeCloseTo(0.25 / Math.sqrt(truncatedVar), 12);
  });

  it("has the requested empirical std, zero mean and stays within ±2·comp_std", () => {
    const std = 1 / Math.sqrt(64);
    const v = truncNormalValues(200_000, std, new Rng(11));
    let sum = 0;
    let sq = 0;
    let max = 0;
    for (const x of v) {
      sum += x;
      sq += x * x;
      max = Math.max(max, Math.abs(x));
    }
    const mean = sum / v.length;
    const empiricalStd = Math.sqrt(sq / v.length - mean * mean);
    expect(Math.abs(mean)).toBeLessThan(3 * std / Math.sqrt(v.length) * 2);
    expect(Math.abs(empiricalStd / std - 1)).toBeLessThan(0.005);
    const bound = 2 * truncNormalCompensatedStd(std);
    expect(max).toBeLessThanOrEqual(Math.fround(bound));
    // The tails are populated up to the bound (not clipped short): some draw lies in the outer 2% of the range.
    expect(max).toBeGreaterThan(0.98 * bound);
  });

  it("is deterministic per seed and gives zeros for std 0 without drawing", () => {
    expect(truncNormalValues(100, 1, new Rng(3))).toEqual(truncNormalValues(100, 1, new Rng(3)));
    expect(truncNormalValues(100, 1, new Rng(3))).not.toEqual(truncNormalValues(100, 1, new Rng(4)));
    const rng = new Rng(5);
    const state = rng.getState();
    expect(Array.from(truncNormalValues(10, 0, rng))).toEqual(new Array(10).fill(0));
    expect(rng.getState()).toEqual(state);
  });

  it("builds a tensor of the requested shape without leaking", async () => {
    await initEngine("cpu");
    const before = tf.memory().numTensors;
    const t = truncNormal([3, 5], 0.5, new Rng(1));
    expect(t.shape).toEqual([3, 5]);
    expect(t.dtype).toBe("float32");
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
