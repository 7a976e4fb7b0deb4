/**
 * The checkpoints bundled in checkpoints/sudoku6/ load through the registry and still score what their RECIPE.json
 * recorded when they were bundled, on the seeded 64-puzzle subset of the bundled held-out test set: predictions are
 * compared with the labels here, cell by cell, not taken from the library's own counts. The recursive models run 4
 * supervision steps (the recorded curve has every step), which keeps the file fast on 2 cores.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { createRegistry, evaluate, initEngine, loadReasoner, readPuzzleDataset, tf, type PuzzleDatasetSplit } from "@recurse/core";
import { hrm } from "@recurse/hrm";
import { trm } from "@recurse/trm";

const root = fileURLToPath(new URL("../..", import.meta.url));
const base = join(root, "checkpoints/sudoku6");
const names = existsSync(base) ? readdirSync(base).filter((n) => existsSync(join(base, n, "manifest.json"))).sort() : [];
const STEPS = 4;
/** Puzzles that may flip between engines (float32 sums in another order) before the test fails: 2 of 64. */
const TOLERANCE = 2 / 64;

interface Recorded {
  seed: number;
  evaluation: { puzzles: number; steps: number; exact: number; curve: number[]; ciSubset: { limit: number; seed: number; curve: number[] } };
}

let split: PuzzleDatasetSplit;
beforeAll(async () => {
  await initEngine("wasm");
  split = await readPuzzleDataset(join(root, "data/sudoku6"), "test");
});

describe.skipIf(names.length === 0)("bundled sudoku6 checkpoints", () => {
  it("the test set is the bundled 500 held-out 6x6 puzzles, and every checkpoint has a recorded evaluation", () => {
    expect(split.metadata.seqLen).toBe(36);
    expect(split.groupIndices.length - 1).toBe(500);
    expect(names).toEqual(expect.arrayContaining(["trm-mlp", "trm-att", "hrm-mlp", "hrm", "baseline"]));
    for (const name of names) {
      const recipe = readRecipe(name);
      expect(recipe.evaluation.puzzles, name).toBe(500);
      expect(recipe.evaluation.curve.length, name).toBe(recipe.evaluation.steps);
      expect(recipe.evaluation.exact, name).toBeCloseTo(recipe.evaluation.curve.at(-1)!, 4);
    }
  });

  it.each(names)("%s loads and reaches its recorded accuracy on 64 seeded held-out puzzles", async (name) => {
    const recipe = readRecipe(name);
    const { limit, seed, curve } = recipe.evaluation.ciSubset;
    const before = tf.memory().numTensors;
    const { reasoner } = await loadReasoner(createRegistry().use(trm).use(hrm), join(base, name));
    const steps = Math.min(STEPS, reasoner.halting.maxSteps);
    const out = await evaluate(reasoner, split, { limit, seed, steps, batchSize: limit });
    reasoner.dispose();
    expect(tf.memory().numTensors).toBe(before);

    expect(out.numExamples).toBe(limit);
    let exact = 0;
    const L = out.seqLen;
    for (let i = 0; i < out.numExamples; i++) {
      let right = true;
      for (let t = 0; t < L; t++) {
        const label = out.labels[i * L + t];
        if (label !== -100 && out.predictions[i * L + t] !== label) right = false;
      }
      if (right) exact++;
    }
    const accuracy = exact / limit;
    const expected = curve[steps - 1];
    console.log(`${name}: ${exact}/${limit} exact after ${steps} step(s); recorded ${(100 * expected).toFixed(1)}%`);
    expect(Math.abs(accuracy - expected)).toBeLessThanOrEqual(TOLERANCE + 1e-9);
  });
});

function readRecipe(name: string): Recorded {
  return JSON.parse(readFileSync(join(base, name, "RECIPE.json"), "utf8")) as Recorded;
}
