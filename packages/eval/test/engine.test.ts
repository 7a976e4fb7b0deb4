import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initEngine, tf, type PuzzleDatasetSplit } from "@recurse/core";
import { compare, evaluate, subsetSplit } from "@recurse/eval";
import { EchoReasoner } from "./echo-reasoner";
import { metadata } from "./build-output";

// Vocabulary 0..5 (0 = PAD = ignore id), L = 5, one example per group. Example e has input tokens in 2..5 and a
// label of kind e % 4:
//   0: the input                       -> right once the model echoes (step 3 on)
//   1: all 1s                          -> right while the model still answers 1 (steps 1 and 2)
//   2: the input, last position PAD    -> right from step 3 (the PAD position is ignored)
//   3: the input with token 0 changed  -> never right
// With rate 0.3 and bias 0.6 the echo starts at step 3 (1 - 0.7^3 = 0.657 > 0.6 > 0.51), and so does q_halt > 0.
const L = 5;
function echoSplit(n: number): PuzzleDatasetSplit {
  const inputs = new Int32Array(n * L);
  const labels = new Int32Array(n * L);
  for (let e = 0; e < n; e++) {
    const input = Array.from({ length: L }, (_, t) => 2 + ((e * 7 + t * 3) % 4));
    const label = [...input];
    if (e % 4 === 1) label.fill(1);
    if (e % 4 === 2) label[L - 1] = 0;
    if (e % 4 === 3) label[0] = input[0] === 2 ? 3 : 2;
    inputs.set(input, e * L);
    labels.set(label, e * L);
  }
  const seq = Int32Array.from({ length: n + 1 }, (_, i) => i);
  return { metadata: metadata({ seqLen: L, vocabSize: 6, recurse: { dataset: "echo" } }), inputs, labels, puzzleIdentifiers: new Int32Array(n), puzzleIndices: seq, groupIndices: seq.slice() };
}

describe("evaluate() through core's engine", () => {
  let model: EchoReasoner;
  beforeAll(async () => {
    await initEngine("cpu");
    model = new EchoReasoner(6, L);
  });
  afterAll(() => model.dispose());

  it("gives the per-step curve and halting the construction predicts, without leaking tensors", async () => {
    const before = tf.memory().numTensors;
    const { entry, output } = await evaluate({ name: "echo", model }, { name: "echo", split: echoSplit(14) }, { steps: 4, batchSize: 5 });
    expect(tf.memory().numTensors).toBe(before);
    const kinds = Array.from({ length: 14 }, (_, e) => e % 4);
    const count = (ks: number[]) => kinds.filter((k) => ks.includes(k)).length / 14;
    expect(entry.curve!.exact_accuracy).toEqual([count([1]), count([1]), count([0, 2]), count([0, 2])]);
    expect(entry.metrics.exact_accuracy).toBe(count([0, 2]));
    expect(entry.halting!.first_halt_histogram).toEqual({ step: [3], count: [14], never: 0 });
    expect(entry.metrics.mean_steps).toBe(4);
    // q_halt >= 0 from step 3 on: agrees with "right" for kinds 0, 2 there, for kind 3 before, for kind 1 never
    expect(entry.halting!.q_halt_accuracy_per_step).toEqual([count([0, 2, 3]), count([0, 2, 3]), count([0, 2]), count([0, 2])]);
    expect(output.trace).toHaveLength(4);
  });

  it("compare() gives both models the same seeded subset of groups", async () => {
    const other = new EchoReasoner(6, L, 0.5); // echoes from step 2 (0.75 > 0.6 > 0.5)
    try {
      const split = echoSplit(20);
      const { results } = await compare(
        [{ name: "slow", model }, { name: "fast", model: other }],
        [{ name: "echo", split }],
        { steps: 3, limit: 8, seed: 5 },
      );
      const sub = subsetSplit(split, 8, 5);
      expect(results.entries.map((e) => e.examples)).toEqual([8, 8]);
      // An input row determines the label kind (rows repeat with period 4), so read each kept example's kind back
      // from which of examples 0..3 has its row.
      const row = (s: PuzzleDatasetSplit, i: number) => Array.from(s.inputs.subarray(i * L, (i + 1) * L)).join();
      const kinds = Array.from({ length: 8 }, (_, i) => [0, 1, 2, 3].find((k) => row(split, k) === row(sub, i))!);
      const frac = (ks: number[]) => kinds.filter((k) => ks.includes(k)).length / 8;
      expect(results.entries[0].curve!.exact_accuracy).toEqual([frac([1]), frac([1]), frac([0, 2])]);
      expect(results.entries[1].curve!.exact_accuracy).toEqual([frac([1]), frac([0, 2]), frac([0, 2])]);
      expect(results.models.map((m) => m.parameterCount)).toEqual([6, 6]);
    } finally {
      other.dispose();
    }
  });
});
