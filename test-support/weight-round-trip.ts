/**
 * The state_dict round trip every architecture's tests run through core's exportWeights / loadWeights. Test support
 * only.
 */
import { expect } from "vitest";
import { exportWeights, loadWeights, type RecursiveReasoner, type WeightTensor } from "@recurse/core";

/**
 * Export `from`'s weights, load them into `into` under pretrain.py's `_orig_mod.model.` prefixes (which loadWeights
 * strips), and expect `into` to export exactly the same tensors, buffers included (and `H_init` left out when
 * buffers are excluded). Returns `from`'s export for architecture-specific checks; disposes neither model.
 *
 * @example
 * const exported = expectWeightsRoundTrip(a, b);
 * expect(exported.get("inner.L_init")!.shape).toEqual([32]);
 */
export function expectWeightsRoundTrip(from: RecursiveReasoner, into: RecursiveReasoner): Map<string, WeightTensor> {
  const exported = exportWeights(from);
  const wrapped = new Map([...exported].map(([k, v]) => [`_orig_mod.model.${k}`, v]));
  const report = loadWeights(into, wrapped);
  expect(report.loaded.length).toBe(exported.size);
  for (const [k, v] of exportWeights(into)) expect(v.data, k).toEqual(exported.get(k)!.data);
  expect(exportWeights(into, { includeBuffers: false }).has("inner.H_init")).toBe(false);
  return exported;
}
