/**
 * Conformance of every architecture the built-in plugins register, generated from the registry so a new one is
 * covered without a new test: at its test-sized preset it trains through core's Trainer, evaluates through core's
 * evaluate, leaks no tensors, and round-trips through a Trainer checkpoint and loadReasoner with bit-identical
 * evaluation (every supervision step's predictions and halting logits).
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { evaluate, IGNORE_LABEL, loadReasoner, tf, Trainer, type TrainerOptions } from "@recurse/core";
import { builtInRegistry, dataSizes, testPreset } from "./support/built-in-registry";
import { tinySplit } from "./support/tiny-split";
import { useEngineAndScratch } from "./support/test-setup";
import { changedNames, snapshot } from "./support/weights";


const registry = builtInRegistry();
const cases = registry.architectures.list().map((spec) => {
  const preset = testPreset(spec);
  const config = registry.architectures.resolveConfig(spec.id, { preset });
  return { id: spec.id, preset, sizes: dataSizes(spec.id, config) };
});

const scratch = useEngineAndScratch("recurse-conformance-");

it("the registry holds every built-in architecture", () => {
  expect(registry.architectures.ids()).toEqual(expect.arrayContaining(["trm", "transformer-baseline", "hrm"]));
});

describe.each(cases)("architecture $id (preset $preset)", ({ id, preset, sizes }) => {
  const train = tinySplit(sizes, { puzzles: 4, examplesPerPuzzle: 2, seed: 11 });
  const test = tinySplit(sizes, { puzzles: 3, examplesPerPuzzle: 2, seed: 12 });
  const numTest = 6;
  // Two supervision steps carry state from one step to the next; more only add time (TRM's tiny preset has 4).
  const evalOptions = { batchSize: 8, steps: 2 };
  // A high constant rate so two steps move the weights visibly (the default warmup would keep them near init).
  const trainerOptions = (reasoner: TrainerOptions["reasoner"], steps: number, outDir?: string): TrainerOptions => ({
    reasoner,
    train,
    // The Trainer's own evaluation runs in the first test; the round trip evaluates by hand.
    eval: outDir ? undefined : test,
    batchSize: 4,
    steps,
    seed: 3,
    optimizer: { lr: 1e-3 },
    puzzleOptimizer: { lr: 1e-2 },
    schedule: { warmupSteps: 0 },
    evalOptions,
    outDir,
  });

  it("takes a training step and an evaluation step through Trainer and evaluate, leaking no tensors", async () => {
    const before = tf.memory().numTensors;
    const reasoner = registry.architectures.create(id, { preset });
    expect(reasoner.architecture).toBe(id);
    const initial = snapshot(reasoner);
    const trainer = new Trainer(trainerOptions(reasoner, 1));
    const result = await trainer.run();

    expect(result.steps).toBe(1);
    const metrics = result.lastMetrics!;
    expect(Number.isFinite(metrics.loss) && metrics.loss > 0).toBe(true);
    expect(metrics.lmLoss).toBeGreaterThan(0);
    const after = snapshot(reasoner);
    expect(changedNames(after, initial).length).toBeGreaterThan(0);
    for (const [name, values] of after) expect(values.every(Number.isFinite), `${name} finite`).toBe(true);
    expect(result.lastEval?.numExamples).toBe(numTest);

    const out = await evaluate(reasoner, test, evalOptions);
    expect(out.numExamples).toBe(numTest);
    expect(out.predictions.length).toBe(numTest * sizes.seqLen);
    expect(out.predictions.every((t) => t >= 0 && t < sizes.vocabSize)).toBe(true);
    expect(out.qHalt.length).toBe(numTest);
    expect(out.qHalt.every(Number.isFinite)).toBe(true);
    // Without adaptive halting every example runs the steps asked for.
    expect([...out.stepsTaken]).toEqual(new Array(numTest).fill(evalOptions.steps));
    // The split's ignore id (0) comes back as IGNORE_LABEL, everything else unchanged.
    expect([...out.labels]).toEqual([...test.labels].map((l) => (l === 0 ? IGNORE_LABEL : l)));

    trainer.dispose();
    reasoner.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  /** Train 2 steps into a checkpoint, load it into a fresh model, and compare the two evaluations exactly. */
  const roundTrip = async (): Promise<void> => {
    const outDir = join(scratch(), id);
    const reasoner = registry.architectures.create(id, { preset });
    const initial = snapshot(reasoner);
    const trainer = new Trainer(trainerOptions(reasoner, 2, outDir));
    let loaded: Awaited<ReturnType<typeof loadReasoner>> | undefined;
    try {
      const result = await trainer.run();
      expect(result.checkpoint).toBe(join(outDir, "checkpoint"));
      const trained = await evaluate(reasoner, test, { ...evalOptions, trace: true });

      loaded = await loadReasoner(registry, result.checkpoint!);
      expect(loaded.architecture).toBe(id);
      expect(loaded.step).toBe(2);
      expect(loaded.weights).toBe("raw");
      expect(loaded.config).toEqual(reasoner.config);
      expect(loaded.dataset).toEqual(train.metadata);
      expect(loaded.reasoner).not.toBe(reasoner);
      // The loaded weights are the trained ones, not a fresh initialisation from the same seed.
      const weights = snapshot(loaded.reasoner);
      expect(changedNames(weights, snapshot(reasoner))).toEqual([]);
      expect(changedNames(weights, initial).length).toBeGreaterThan(0);

      const again = await evaluate(loaded.reasoner, test, { ...evalOptions, trace: true });
      expect(again.predictions).toEqual(trained.predictions);
      expect(again.qHalt).toEqual(trained.qHalt);
      expect(again.qContinue).toEqual(trained.qContinue);
      expect(again.stepsTaken).toEqual(trained.stepsTaken);
      expect(again.trace!.length).toBe(evalOptions.steps);
      for (const [s, record] of again.trace!.entries()) {
        expect(record.predictions, `step ${s + 1} predictions`).toEqual(trained.trace![s].predictions);
        expect(record.qHalt, `step ${s + 1} qHalt`).toEqual(trained.trace![s].qHalt);
      }
    } finally {
      trainer.dispose();
      reasoner.dispose();
      loaded?.reasoner.dispose();
    }
  };

  it("round-trips through a checkpoint: loadReasoner rebuilds a model that evaluates identically", async () => {
    const before = tf.memory().numTensors;
    await roundTrip();
    expect(tf.memory().numTensors).toBe(before);
  });
});
