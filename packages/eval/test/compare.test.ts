import { afterAll, describe, expect, it } from "vitest";
import { compare, evaluate, resolveRun, subsetSplit, ResultsSchema, RESULTS_SCHEMA_ID } from "@recurse/eval";
import { toyModel, toyRunner, toySplit } from "./toy-engine";

// fast: every example right from step 1 except multiples of 4, which it never gets.
// slow: example e is right from step 1 + (e % 3).
const fast = toyModel("toy-fast", (e) => (e % 4 === 0 ? 0 : 1), 3, 12);
const slow = toyModel("toy-slow", (e) => 1 + (e % 3), 3, 30);
afterAll(() => {
  fast.dispose();
  slow.dispose();
});

describe("subsetSplit", () => {
  const split = toySplit(20);

  it("keeps `limit` whole groups, in order, the same ones for the same seed", () => {
    const a = subsetSplit(split, 8, 3);
    const ids = (s: typeof a) => Array.from({ length: s.puzzleIndices.length - 1 }, (_, i) => s.inputs[i * 4]);
    expect(a.groupIndices.length - 1).toBe(8);
    expect(ids(a)).toEqual([...ids(a)].sort((x, y) => x - y));
    expect(new Set(ids(a)).size).toBe(8);
    expect(ids(subsetSplit(split, 8, 3))).toEqual(ids(a));
    expect(ids(subsetSplit(split, 8, 4))).not.toEqual(ids(a));
    // every kept example keeps its own labels
    ids(a).forEach((e, i) => expect(Array.from(a.labels.subarray(i * 4, i * 4 + 4))).toEqual([2 + (e % 7), 3, 4, 5]));
    expect(subsetSplit(split, 100, 0)).toBe(split);
    expect(() => subsetSplit(split, 0, 0)).toThrow(/limit must be a positive integer/);
  });

  it("keeps multi-puzzle groups whole (all augmented versions of a puzzle)", () => {
    // 3 groups of 2 puzzles each; puzzles have 1, 2, 1, 1, 2, 1 examples
    const base = toySplit(8);
    const grouped = { ...base, puzzleIdentifiers: Int32Array.from([1, 2, 3, 4, 5, 6]), puzzleIndices: Int32Array.from([0, 1, 3, 4, 5, 7, 8]), groupIndices: Int32Array.from([0, 2, 4, 6]) };
    const s = subsetSplit(grouped, 2, 1);
    expect(s.groupIndices.length - 1).toBe(2);
    const kept = Array.from(s.puzzleIdentifiers);
    // whole groups: pairs (1,2), (3,4) or (5,6)
    expect([[1, 2, 3, 4], [1, 2, 5, 6], [3, 4, 5, 6]]).toContainEqual(kept);
    const examples = { 1: 1, 2: 2, 3: 1, 4: 1, 5: 2, 6: 1 } as Record<number, number>;
    expect(s.puzzleIndices[s.puzzleIndices.length - 1]).toBe(kept.reduce((a, p) => a + examples[p], 0));
  });
});

describe("evaluate and compare", () => {
  it("evaluate scores one model on one split with the default evaluators", async () => {
    const { entry, output } = await evaluate({ name: "fast", model: fast }, { name: "toy", split: toySplit(20) }, { runner: toyRunner });
    // examples 0, 4, 8, 12, 16 are never solved: 15 of 20 right
    expect(entry.metrics.exact_accuracy).toBe(15 / 20);
    expect(entry.steps).toBe(3);
    expect(entry.curve?.exact_accuracy).toEqual([0.75, 0.75, 0.75]);
    expect(entry.halting?.first_halt_histogram).toEqual({ step: [1], count: [15], never: 5 });
    expect(output.trace).toHaveLength(3);
  });

  it("auto trace turns off above the size limit, and an explicit choice wins", async () => {
    // 100k ARC-sized examples × 16 steps would be 1.4e9 traced values
    const big = { ...toySplit(1), metadata: { ...toySplit(1).metadata, seqLen: 900 }, puzzleIndices: Int32Array.from([0, 100_000]) };
    expect(resolveRun(fast, big, {}).trace).toBe(false);
    expect(resolveRun(fast, big, { trace: true, steps: 16 })).toEqual({ steps: 16, trace: true });
    expect(resolveRun(fast, toySplit(4), {})).toEqual({ steps: 3, trace: true });
    expect(() => resolveRun(fast, toySplit(4), { steps: 0 })).toThrow(/steps must be a positive integer/);
    const ds = { name: "toy", split: toySplit(4) };
    const off = await evaluate(fast, ds, { runner: toyRunner, trace: false });
    expect(off.entry.curve).toBeNull();
    expect(off.entry.metrics.mean_first_halt_step).toBeNull();
  });

  const runP = compare(
    [
      { name: "fast", model: fast, source: "runs/fast" },
      { name: "slow", model: slow },
    ],
    [
      { name: "toy-a", split: toySplit(24), splitName: "test" },
      { name: "toy-b", split: toySplit(9) },
    ],
    { runner: toyRunner, limit: 6, seed: 11, versions: { "@recurse/cli": "0.0.0-test" } },
  );

  it("gives every model the same seeded subset of each dataset, and metrics that match a direct count", async () => {
    const { results } = await runP;
    expect(results.entries.map((e) => `${e.model}/${e.dataset}`)).toEqual(["fast/toy-a", "fast/toy-b", "slow/toy-a", "slow/toy-b"]);
    const chosen = (n: number) => {
      const s = subsetSplit(toySplit(n), 6, 11);
      return Array.from({ length: 6 }, (_, i) => s.inputs[i * 4]);
    };
    for (const [dataset, n] of [["toy-a", 24], ["toy-b", 9]] as const) {
      const ex = chosen(n);
      const fastEntry = results.entries.find((e) => e.model === "fast" && e.dataset === dataset)!;
      const slowEntry = results.entries.find((e) => e.model === "slow" && e.dataset === dataset)!;
      expect(fastEntry.examples).toBe(6);
      expect(fastEntry.metrics.exact_accuracy).toBeCloseTo(ex.filter((e) => e % 4 !== 0).length / 6, 12);
      // slow: after step k, examples with e % 3 < k are right
      expect(slowEntry.curve!.exact_accuracy).toEqual([1, 2, 3].map((k) => ex.filter((e) => e % 3 < k).length / 6));
      expect(slowEntry.metrics.mean_first_halt_step).toBeCloseTo(ex.reduce((a, e) => a + 1 + (e % 3), 0) / 6, 12);
    }
  });

  it("records models, datasets and provenance in a schema-valid results object", async () => {
    const { results } = await runP;
    expect(ResultsSchema.parse(results)).toEqual(results);
    expect(results.schema).toBe(RESULTS_SCHEMA_ID);
    expect(results.models).toEqual([
      { name: "fast", architecture: "toy-fast", config: { hiddenSize: 12 }, parameterCount: 12, source: "runs/fast" },
      { name: "slow", architecture: "toy-slow", config: { hiddenSize: 30 }, parameterCount: 30 },
    ]);
    expect(results.datasets[0]).toMatchObject({ name: "toy-a", kind: "toy", split: "test", examples: 6, puzzles: 6, groups: 6, totalExamples: 24 });
    expect(results.options).toMatchObject({ steps: 3, limit: 6, seed: 11, trace: true });
    expect(results.options.evaluators).toEqual(["exact-accuracy", "token-accuracy", "step-curve", "halting"]);
    expect(results.versions).toMatchObject({ "@recurse/core": expect.any(String), "@recurse/eval": expect.any(String), "@recurse/cli": "0.0.0-test" });
    expect(results.versions["@tensorflow/tfjs"]).toMatch(/^4\.22/);
    expect(results.git.revision === null || /^[0-9a-f]{40}$/.test(results.git.revision)).toBe(true);
    expect(Date.parse(results.createdAt)).not.toBeNaN();
  });

  it("rejects duplicate names", async () => {
    await expect(compare([{ name: "x", model: fast }, { name: "x", model: slow }], [], { runner: toyRunner })).rejects.toThrow(/two models are named "x"/);
  });
});
