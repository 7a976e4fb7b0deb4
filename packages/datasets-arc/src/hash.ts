import { createHash } from "node:crypto";
import { gridHash, type Grid } from "./grid";

/**
 * The reference `puzzle_hash` of a set of pairs: SHA-256 (hex) of the sorted `"{inputHash}|{outputHash}"` strings
 * joined with `|`. Independent of pair order, so a reordered copy of a puzzle hashes the same.
 *
 * @example
 * ```ts
 * pairsHash([...task.train, ...task.test]);
 * ```
 */
export function pairsHash(pairs: Iterable<{ input: Grid; output: Grid }>): string {
  const hashes: string[] = [];
  for (const p of pairs) hashes.push(pairHash(p));
  hashes.sort();
  return createHash("sha256").update(hashes.join("|")).digest("hex");
}

/** `"{gridHash(input)}|{gridHash(output)}"`, one entry of {@link pairsHash}. */
export function pairHash(pair: { input: Grid; output: Grid }): string {
  return `${gridHash(pair.input)}|${gridHash(pair.output)}`;
}
