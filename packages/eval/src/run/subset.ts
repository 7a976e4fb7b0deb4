import { ConfigError, Rng, type PuzzleDatasetSplit } from "@recurse/core";

/**
 * A seeded subset of a split: `limit` groups (puzzles before augmentation, with all their augmented versions and
 * examples, so ARC voting still sees every version), kept in their original order. Returns the split itself when
 * `limit` is absent or covers every group.
 *
 * @example
 * ```ts
 * const small = subsetSplit(split, 100, 0); // 100 Sudoku puzzles, the same 100 for the same seed
 * ```
 */
export function subsetSplit(split: PuzzleDatasetSplit, limit: number | null | undefined, seed = 0): PuzzleDatasetSplit {
  const groups = split.groupIndices.length - 1;
  if (limit === null || limit === undefined || limit >= groups) return split;
  if (!Number.isInteger(limit) || limit < 1) throw new ConfigError(`limit must be a positive integer, got ${limit}`, { field: "limit" });
  const chosen = Array.from(new Rng(seed).permutation(groups).subarray(0, limit)).sort((a, b) => a - b);

  const L = split.metadata.seqLen;
  const puzzleIdentifiers: number[] = [];
  const puzzleIndices = [0];
  const groupIndices = [0];
  const rows: [number, number][] = [];
  for (const g of chosen) {
    for (let p = split.groupIndices[g]; p < split.groupIndices[g + 1]; p++) {
      const start = split.puzzleIndices[p];
      const end = split.puzzleIndices[p + 1];
      rows.push([start, end]);
      puzzleIdentifiers.push(split.puzzleIdentifiers[p]);
      puzzleIndices.push(puzzleIndices[puzzleIndices.length - 1] + (end - start));
    }
    groupIndices.push(puzzleIdentifiers.length);
  }
  const examples = puzzleIndices[puzzleIndices.length - 1];
  const inputs = new Int32Array(examples * L);
  const labels = new Int32Array(examples * L);
  let at = 0;
  for (const [start, end] of rows) {
    inputs.set(split.inputs.subarray(start * L, end * L), at * L);
    labels.set(split.labels.subarray(start * L, end * L), at * L);
    at += end - start;
  }
  return {
    metadata: split.metadata,
    inputs,
    labels,
    puzzleIdentifiers: Int32Array.from(puzzleIdentifiers),
    puzzleIndices: Int32Array.from(puzzleIndices),
    groupIndices: Int32Array.from(groupIndices),
  };
}
