import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Rng } from "@recurse/core";
import {
  applyPlan,
  augmentTask,
  gridFromRows,
  gridsEqual,
  loadTaskDirectory,
  loadTaskFile,
  pairsHash,
  parseVersionName,
  type ArcTask,
} from "@recurse/datasets-arc";
import { FIXTURES } from "./paths";

describe("augmentTask", () => {
  it("yields the original, then unique versions whose names give back the plan that made them", async () => {
    const task = await loadTaskFile(join(FIXTURES, "arc-agi-1/training/d631b094.json"));
    const versions = [...augmentTask(task, 50, new Rng(42))];
    expect(versions.length).toBe(51);
    expect(versions[0].name).toBe("d631b094");
    expect(versions[0].plan).toBeNull();
    const hashes = versions.map((v) => pairsHash([...v.train, ...v.test]));
    expect(new Set(hashes).size).toBe(51);
    for (const v of versions.slice(1)) {
      const { puzzleId, plan } = parseVersionName(v.name);
      expect(puzzleId).toBe("d631b094");
      expect(plan!.colours[0]).toBe(0);
      v.train.forEach((p, i) => {
        expect(gridsEqual(p.input, applyPlan(task.train[i].input, plan!))).toBe(true);
        expect(gridsEqual(p.output, applyPlan(task.train[i].output, plan!))).toBe(true);
      });
      expect(gridsEqual(v.test[0].output, applyPlan(task.test[0].output, plan!))).toBe(true);
    }
  });

  it("is reproducible for a seed and differs across seeds", async () => {
    const [task] = await loadTaskDirectory(join(FIXTURES, "concept-arc/corpus/Copy"));
    const names = (seed: number) => [...augmentTask(task, 20, new Rng(seed))].map((v) => v.name);
    expect(names(7)).toEqual(names(7));
    expect(names(7)).not.toEqual(names(8));
  });

  it("stops at 5x trials when a symmetric puzzle has fewer unique versions", () => {
    // One colour besides black in a symmetric layout: only the 9 recolourings differ (dihedral maps change nothing),
    // and the original is one of them, so 8 augmented versions exist at most.
    const g = gridFromRows([[0, 1, 0], [1, 1, 1], [0, 1, 0]]);
    const task: ArcTask = {
      id: "sym",
      train: [{ input: g, output: g }],
      test: [{ input: g, output: g }],
      source: { file: "sym.json", subset: "training" },
      testOutputsKnown: true,
    };
    const versions = [...augmentTask(task, 1000, new Rng(1))];
    expect(versions.length).toBe(9);
    const all0 = gridFromRows([[0, 0], [0, 0]]);
    const blank: ArcTask = { ...task, train: [{ input: all0, output: all0 }], test: [{ input: all0, output: all0 }] };
    expect([...augmentTask(blank, 10, new Rng(1))].length).toBe(1);
    expect([...augmentTask(task, 0, new Rng(1))].map((v) => v.name)).toEqual(["sym"]);
  });

  it("hashes pairs independently of their order, as the reference puzzle_hash", async () => {
    const task = await loadTaskFile(join(FIXTURES, "arc-agi-1/training/3c9b0459.json"));
    const pairs = [...task.train, ...task.test];
    expect(pairsHash([...pairs].reverse())).toBe(pairsHash(pairs));
    expect(pairsHash(pairs.slice(1))).not.toBe(pairsHash(pairs));
  });
});
