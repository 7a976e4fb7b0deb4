import { describe, expect, it } from "vitest";
import { collateExamples, stepsForEpochs, TrainSampler, type PuzzleBatch } from "@recurse/core";
import { makeSplit } from "./support/tiny-dataset";

// 5 groups; group 2 has three augmentations of different sizes.
const groups = [[2], [1, 1], [3, 2, 1], [2], [1]];
const split = makeSplit(groups, { seqLen: 3 });
const puzzleIndex = (b: PuzzleBatch, i: number) => b.puzzleIds[i] - 1; // identifiers are index + 1 in makeSplit

function exampleOf(b: PuzzleBatch, i: number): number {
  // Find the example whose inputs equal row i of the batch within its puzzle.
  const p = puzzleIndex(b, i);
  const L = b.seqLen;
  for (let e = split.puzzleIndices[p]; e < split.puzzleIndices[p + 1]; e++) {
    if (split.inputs.subarray(e * L, (e + 1) * L).every((v, t) => v === b.inputs[i * L + t])) return e;
  }
  throw new Error("row not found in its puzzle");
}

describe("TrainSampler", () => {
  it("walks each epoch's group permutation: one puzzle per group, its examples distinct, until the batch is full", () => {
    const groupOf = (p: number) => split.groupIndices.findIndex((start, k) => p >= start && p < split.groupIndices[k + 1]);
    const sampler = new TrainSampler(split, { batchSize: 3, seed: 1 });
    for (let trial = 0; trial < 40; trial++) {
      const b = sampler.next();
      const { order, cursor } = sampler.getState();
      const runs: { group: number; puzzle: number; count: number }[] = [];
      const examples = new Set<number>();
      for (let i = 0; i < 3; i++) {
        const p = puzzleIndex(b, i);
        const last = runs[runs.length - 1];
        if (last && last.group === groupOf(p)) {
          expect(p).toBe(last.puzzle); // one augmentation per group
          last.count++;
        } else runs.push({ group: groupOf(p), puzzle: p, count: 1 });
        examples.add(exampleOf(b, i));
      }
      expect(examples.size).toBe(3);
      // The runs are the groups just consumed from the permutation, in order.
      expect(runs.map((r) => r.group)).toEqual(order.slice(cursor - runs.length, cursor));
      runs.forEach((r, k) => {
        const size = split.puzzleIndices[r.puzzle + 1] - split.puzzleIndices[r.puzzle];
        if (k < runs.length - 1) expect(r.count).toBe(size); // only the last group may be cut short
        else expect(r.count).toBeLessThanOrEqual(size);
      });
    }
    expect(sampler.epoch).toBeGreaterThan(5);
  });

  it("maps the dataset's ignore label to -100", () => {
    const b = new TrainSampler(split, { batchSize: 4, seed: 2 }).next();
    for (let i = 0; i < b.labels.length; i++) expect(b.labels[i] === -100 || b.labels[i] > 0).toBe(true);
    const direct = collateExamples(split, [0, 1], [0, 0]);
    for (let t = 0; t < 6; t++) expect(direct.labels[t]).toBe(split.labels[t] === 0 ? -100 : split.labels[t]);
  });

  it("picks every augmentation of a group over many epochs", () => {
    const sampler = new TrainSampler(split, { batchSize: 1, seed: 3 });
    const picked = new Set<number>();
    for (let i = 0; i < 400; i++) picked.add(puzzleIndex(sampler.next(), 0));
    expect([...picked].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("is deterministic per seed and resumes exactly from a saved state", () => {
    const a = new TrainSampler(split, { batchSize: 2, seed: 4 });
    const b = new TrainSampler(split, { batchSize: 2, seed: 4 });
    const c = new TrainSampler(split, { batchSize: 2, seed: 5 });
    const seqA = Array.from({ length: 7 }, () => Array.from(a.next().inputs));
    const seqB = Array.from({ length: 7 }, () => Array.from(b.next().inputs));
    const seqC = Array.from({ length: 7 }, () => Array.from(c.next().inputs));
    expect(seqB).toEqual(seqA);
    expect(seqC).not.toEqual(seqA);
    const saved = JSON.parse(JSON.stringify(a.getState()));
    const next = Array.from({ length: 9 }, () => Array.from(a.next().inputs));
    const resumed = new TrainSampler(split, { batchSize: 2, seed: 999 }).setState(saved);
    expect(Array.from({ length: 9 }, () => Array.from(resumed.next().inputs))).toEqual(next);
  });

  it("rejects a batch larger than the split and a state for another dataset", () => {
    expect(() => new TrainSampler(split, { batchSize: 100, seed: 0 })).toThrow(/batchSize/);
    const s = new TrainSampler(split, { batchSize: 2, seed: 0 });
    expect(() => s.setState({ rng: [1, 2, 3, 4], epoch: 0, cursor: 0, order: [0, 9] })).toThrow(/sampler/);
  });

  it("counts steps for epochs as the reference (HRM Sudoku: 26,041)", () => {
    expect(stepsForEpochs(20000, { totalGroups: 1000, meanPuzzleExamples: 1 }, 768)).toBe(26041);
    expect(stepsForEpochs(50000, { totalGroups: 1000, meanPuzzleExamples: 1 }, 768)).toBe(65104);
  });
});
