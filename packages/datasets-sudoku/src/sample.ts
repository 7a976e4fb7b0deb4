import type { Rng } from "@recurse/core";

/**
 * `k` distinct indices of 0..count-1 in random order (a partial Fisher-Yates shuffle), or all of them in file
 * order when `k` is undefined or at least `count` (as the reference, which subsamples only when asked for fewer).
 *
 * @example
 * ```ts
 * sampleIndices(3_800_000, 1000, new Rng(0)); // Int32Array(1000)
 * ```
 */
export function sampleIndices(count: number, k: number | undefined, rng: Rng): Int32Array {
  const all = new Int32Array(count);
  for (let i = 0; i < count; i++) all[i] = i;
  if (k === undefined || k >= count) return all;
  for (let i = 0; i < k; i++) {
    const j = rng.int(i, count);
    const t = all[i];
    all[i] = all[j];
    all[j] = t;
  }
  return all.slice(0, k);
}

/**
 * Seeds of the independent random streams a build draws from one user seed.
 *
 * @example
 * ```ts
 * const augRng = new Rng(streamSeed(seed, "augment"));
 * ```
 */
export function streamSeed(seed: number, stream: "train" | "test" | "augment"): number {
  const salt = stream === "train" ? 0 : stream === "test" ? 0x9e3779b9 : 0x85ebca6b;
  return (seed ^ salt) >>> 0;
}
