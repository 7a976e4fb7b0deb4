import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckpointError, initEngine, tf, Trainer, type TrainerOptions, type TrainEvent } from "@recurse/core";
import { TinyReasoner } from "./support/tiny-reasoner";
import { makeSplit } from "./support/tiny-dataset";

const L = 5;
const V = 6;
const train = makeSplit([[2, 1, 3], [1], [2, 2], [1, 1], [3], [2], [1, 2], [2]], { seqLen: L, vocab: V, seed: 4 });
const test = makeSplit([[1], [2], [1]], { seqLen: L, vocab: V, seed: 5 });

// HRM-like: q-learning with the bootstrapped continue target, last-step gradient, exploration on, EMA on.
function reasoner(seed: number) {
  return new TinyReasoner({
    seqLen: L,
    vocab: V,
    hidden: 8,
    numPuzzleIds: train.metadata.numPuzzleIdentifiers,
    schedule: { cycles: 2, latentSteps: 2, gradient: "last-step" },
    halting: { policy: "q-learning", maxSteps: 3, explorationProb: 0.5 },
    qBias: [0, 0],
    seed,
  });
}

function options(model: TinyReasoner, outDir: string, losses: number[]): TrainerOptions {
  return {
    reasoner: model,
    train,
    eval: test,
    batchSize: 4,
    steps: 10,
    seed: 7,
    optimizer: { lr: 1e-2, weightDecay: 0.1 },
    puzzleOptimizer: { lr: 1e-2, weightDecay: 0.1 },
    schedule: { warmupSteps: 3, minRatio: 0.2 },
    ema: 0.9,
    evalEvery: 5,
    outDir,
    onProgress: (e: TrainEvent) => {
      if (e.type === "step") losses.push(e.metrics.loss);
    },
  };
}

let dir: string;
beforeAll(async () => {
  await initEngine("cpu");
  dir = await mkdtemp(join(tmpdir(), "recurse-resume-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("checkpoint and resume", () => {
  for (const backend of ["cpu", "wasm"] as const) {
    it(`a run resumed from a checkpoint produces exactly the losses, evaluations and weights of an uninterrupted one (${backend})`, async () => {
      await initEngine(backend);
      const straightLosses: number[] = [];
      const straightModel = reasoner(1);
      const straight = new Trainer(options(straightModel, join(dir, `straight-${backend}`), straightLosses));
      const straightResult = await straight.run();

      // Interrupted: 4 steps, save, throw everything away.
      const firstLosses: number[] = [];
      const firstModel = reasoner(1);
      const first = new Trainer(options(firstModel, join(dir, `resumed-${backend}`), firstLosses));
      for (let i = 0; i < 4; i++) firstLosses.push(first.trainStep().loss);
      const ckpt = await first.save(join(dir, `resumed-${backend}`, "checkpoint"));
      first.dispose();
      firstModel.dispose();

      // A different initialisation proves every weight comes from the checkpoint.
      const resumedLosses: number[] = [];
      const resumedModel = reasoner(99);
      const resumed = new Trainer(options(resumedModel, join(dir, `resumed-${backend}`), resumedLosses));
      await resumed.restore(ckpt);
      expect(resumed.stepsDone).toBe(4);
      const resumedResult = await resumed.run();

      expect(firstLosses).toEqual(straightLosses.slice(0, 4));
      expect(resumedLosses).toEqual(straightLosses.slice(4));
      expect(resumedResult.lastEval).toEqual(straightResult.lastEval);
      for (const [name, v] of straightModel.parameters()) {
        expect(Array.from(resumedModel.parameters().get(name)!.dataSync()), name).toEqual(Array.from(v.dataSync()));
      }
      expect(Array.from(resumedModel.puzzleEmbedding!.table.dataSync())).toEqual(Array.from(straightModel.puzzleEmbedding!.table.dataSync()));
      console.log(`resume (${backend}): losses of steps 5-10 ${resumedLosses.map((l) => l.toFixed(6)).join(", ")} (identical to the uninterrupted run)`);
      for (const t of [straight, resumed]) t.dispose();
      for (const m of [straightModel, resumedModel]) m.dispose();
      await initEngine("cpu");
    });
  }

  it("resuming drops metrics lines written after the checkpoint", async () => {
    const outDir = join(dir, "log");
    const losses: number[] = [];
    const model = reasoner(1);
    const t = new Trainer({ ...options(model, outDir, losses), steps: 6, checkpointEvery: 3, evalEvery: 0 });
    await t.run(); // checkpoint at step 6 (end); rewrite it as of step 3 below
    t.dispose();
    const lines = (await readFile(join(outDir, "metrics.jsonl"), "utf8")).trim().split("\n");
    expect(lines.length).toBe(7); // 6 train lines + the final eval
    const again = new Trainer({ ...options(reasoner(2), outDir, []), steps: 6 });
    await again.restore(join(outDir, "checkpoint"));
    await writeFile(join(outDir, "metrics.jsonl"), lines.join("\n") + "\n" + JSON.stringify({ type: "train", step: 7 }) + "\n");
    await again.restore(join(outDir, "checkpoint"));
    const kept = (await readFile(join(outDir, "metrics.jsonl"), "utf8")).trim().split("\n");
    expect(kept.length).toBe(7);
    again.dispose();
    model.dispose();
  });

  it("refuses a checkpoint of a different batch size or EMA setting, naming the field", async () => {
    const model = reasoner(1);
    const t = new Trainer(options(model, join(dir, "mismatch"), []));
    t.trainStep();
    const ckpt = await t.save(join(dir, "mismatch", "checkpoint"));
    const other = new Trainer({ ...options(reasoner(1), join(dir, "mismatch"), []), batchSize: 2 });
    await expect(other.restore(ckpt)).rejects.toThrow(CheckpointError);
    await expect(other.restore(ckpt)).rejects.toThrow(/batchSize/);
    const noEma = new Trainer({ ...options(reasoner(1), join(dir, "mismatch"), []), ema: null });
    await expect(noEma.restore(ckpt)).rejects.toThrow(/ema/);
    for (const x of [t, other, noEma]) x.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBeGreaterThan(0);
  });
});
