import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ARC_SEQ_LEN,
  cropGrid,
  decodeGrid,
  findOrigin,
  gridsEqual,
  invertPlan,
  loadArcInputs,
  parseVersionName,
  streamArcBuild,
  type ArcBuildMode,
  type ArcSplitSink,
  type ArcTask,
} from "@recurse/datasets-arc";
import { FIXTURES } from "./paths";

/** Keeps a split in memory, checking the call order a writer relies on. */
class MemorySink implements ArcSplitSink {
  inputs: Uint8Array[] = [];
  labels: Uint8Array[] = [];
  puzzleIndices = [0];
  puzzleIdentifiers: number[] = [];
  groupIndices = [0];
  addExample(input: Uint8Array, label: Uint8Array) {
    this.inputs.push(input.slice());
    this.labels.push(label.slice());
  }
  endPuzzle(identifier: number) {
    expect(this.inputs.length).toBeGreaterThan(this.puzzleIndices.at(-1)!);
    this.puzzleIndices.push(this.inputs.length);
    this.puzzleIdentifiers.push(identifier);
  }
  endGroup() {
    this.groupIndices.push(this.puzzleIdentifiers.length);
  }
}

async function build(mode: ArcBuildMode, augmentations = 6) {
  const tasks = await loadArcInputs([join(FIXTURES, "arc-agi-1"), join(FIXTURES, "concept-arc/corpus")]);
  const sinks = { train: new MemorySink(), test: new MemorySink() };
  const names: string[] = ["<blank>"];
  const stats = streamArcBuild(tasks, { testSets: ["evaluation"], augmentations, mode, seed: 42 }, sinks, (name, id) => {
    expect(id).toBe(names.length);
    names.push(name);
  });
  return { tasks, sinks, names, stats };
}

const pairsOf = (ts: ArcTask[], pick: (t: ArcTask) => number) => ts.reduce((s, t) => s + pick(t), 0);

describe("streamArcBuild", () => {
  it("reference mode: every version's demonstrations train, evaluation test pairs form the test split", async () => {
    const { tasks, sinks, names, stats } = await build("reference");
    const evalTasks = tasks.filter((t) => t.source.subset === "evaluation");
    const otherTasks = tasks.filter((t) => t.source.subset !== "evaluation");
    expect(stats).toMatchObject({ puzzles: 9, testSetPuzzles: 3, versions: 9 * 7, numPuzzleIdentifiers: 9 * 7 + 1, shortPuzzles: [] });
    expect(names.length).toBe(stats.numPuzzleIdentifiers);
    // Train: all pairs of non-evaluation puzzles, demonstrations of evaluation puzzles, 7 versions each.
    const trainPairs = pairsOf(otherTasks, (t) => t.train.length + t.test.length) + pairsOf(evalTasks, (t) => t.train.length);
    expect(sinks.train.inputs.length).toBe(7 * trainPairs);
    expect(sinks.train.puzzleIdentifiers.length).toBe(9 * 7);
    expect(sinks.train.groupIndices).toEqual(Array.from({ length: 10 }, (_, i) => 7 * i));
    expect(sinks.test.inputs.length).toBe(7 * pairsOf(evalTasks, (t) => t.test.length));
    expect(sinks.test.groupIndices).toEqual([0, 7, 14, 21]);
    // An evaluation version has one identifier, shared by its demonstrations (train) and its test inputs (test).
    expect(new Set(sinks.train.puzzleIdentifiers).size).toBe(63);
    for (const id of sinks.test.puzzleIdentifiers) expect(sinks.train.puzzleIdentifiers).toContain(id);
  });

  it("leak-free mode: evaluation puzzles are absent from the train split, the test split is unchanged", async () => {
    const ref = await build("reference");
    const { tasks, sinks, stats } = await build("leak-free");
    const otherTasks = tasks.filter((t) => t.source.subset !== "evaluation");
    expect(sinks.train.inputs.length).toBe(7 * pairsOf(otherTasks, (t) => t.train.length + t.test.length));
    expect(sinks.train.groupIndices.length - 1).toBe(otherTasks.length);
    expect(stats.numPuzzleIdentifiers).toBe(ref.stats.numPuzzleIdentifiers);
    for (const id of sinks.test.puzzleIdentifiers) expect(sinks.train.puzzleIdentifiers).not.toContain(id);
    expect(sinks.test.inputs.map((x) => Buffer.from(x).toString("hex"))).toEqual(ref.sinks.test.inputs.map((x) => Buffer.from(x).toString("hex")));
    expect(sinks.test.puzzleIdentifiers).toEqual(ref.sinks.test.puzzleIdentifiers);
    // Per-puzzle seeding: a training puzzle's examples are the same in both modes.
    const firstTrainIdx = ref.sinks.train.puzzleIndices[3 * 7]; // after the 3 evaluation groups (loaded first)
    expect(Buffer.from(sinks.train.inputs[0]).equals(Buffer.from(ref.sinks.train.inputs[firstTrainIdx]))).toBe(true);
  });

  it("translates train examples except one per version, never test examples, and all decode to the version", async () => {
    const { tasks, sinks, names } = await build("reference");
    const byId = new Map(tasks.map((t) => [t.id, t]));
    for (const split of ["train", "test"] as const) {
      const sink = sinks[split];
      let translatedPuzzles = 0;
      for (let p = 0; p < sink.puzzleIdentifiers.length; p++) {
        const { puzzleId, plan } = parseVersionName(names[sink.puzzleIdentifiers[p]]);
        const task = byId.get(puzzleId)!;
        const originals = split === "test" ? task.test : task.source.subset === "evaluation" ? task.train : [...task.train, ...task.test];
        const [start, end] = [sink.puzzleIndices[p], sink.puzzleIndices[p + 1]];
        expect(end - start).toBe(originals.length);
        let atOrigin = 0;
        for (let e = start; e < end; e++) {
          const [inp, lab] = [sink.inputs[e], sink.labels[e]];
          expect(inp.length).toBe(ARC_SEQ_LEN);
          const o = findOrigin(inp);
          // Input and output share one offset.
          expect(findOrigin(lab)).toEqual(o);
          if (o.row === 0 && o.col === 0) atOrigin++;
          const original = originals[e - start];
          const back = (tokens: Uint8Array) => (plan ? invertPlan(decodeGrid(tokens), plan) : decodeGrid(tokens));
          expect(gridsEqual(back(inp), original.input)).toBe(true);
          expect(gridsEqual(back(lab), original.output)).toBe(true);
          if (split === "test") expect(gridsEqual(cropGrid(inp), decodeGrid(inp))).toBe(true);
        }
        if (split === "test") expect(atOrigin).toBe(end - start);
        else {
          expect(atOrigin).toBeGreaterThanOrEqual(1);
          if (atOrigin < end - start) translatedPuzzles++;
        }
      }
      if (split === "train") expect(translatedPuzzles).toBeGreaterThan(0.9 * sink.puzzleIdentifiers.length);
    }
  });

  it("is reproducible for a seed", async () => {
    const a = await build("reference", 3);
    const b = await build("reference", 3);
    expect(a.names).toEqual(b.names);
    expect(a.sinks.train.inputs.every((x, i) => Buffer.from(x).equals(Buffer.from(b.sinks.train.inputs[i])))).toBe(true);
  });
});
