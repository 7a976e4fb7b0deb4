import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initEngine, loadCheckpoint, tf, Trainer, TrainingDivergedError, type TrainEvent } from "@recurse/core";
import { TinyReasoner } from "./support/tiny-reasoner";
import { makeSplit } from "./support/tiny-dataset";

const L = 6;
const V = 6;
// 32 groups of one puzzle with 2 examples: 64 examples, 4 batches of 16 per epoch.
const train = makeSplit(Array.from({ length: 32 }, () => [2]), { seqLen: L, vocab: V, seed: 1 });
const test = makeSplit(Array.from({ length: 8 }, () => [2]), { seqLen: L, vocab: V, seed: 2 });

function reasoner(seed = 3) {
  return new TinyReasoner({
    seqLen: L,
    vocab: V,
    hidden: 16,
    numPuzzleIds: train.metadata.numPuzzleIdentifiers,
    schedule: { cycles: 2, latentSteps: 2, gradient: "last-cycle" },
    halting: { policy: "halt-logit", maxSteps: 2, explorationProb: 0.1 },
    seed,
  });
}

let dir: string;
beforeAll(async () => {
  await initEngine("cpu");
  dir = await mkdtemp(join(tmpdir(), "recurse-trainer-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("Trainer", () => {
  it("the loss of a tiny reasoner falls on a toy task, with metrics lines, evaluation and a checkpoint", async () => {
    const before = tf.memory().numTensors;
    const model = reasoner();
    const events: TrainEvent[] = [];
    const outDir = join(dir, "toy");
    const trainer = new Trainer({
      reasoner: model,
      train,
      eval: test,
      batchSize: 16,
      steps: 240,
      seed: 0,
      optimizer: { lr: 5e-3, weightDecay: 0.01 },
      puzzleOptimizer: { lr: 1e-3, weightDecay: 0.1 },
      schedule: { warmupSteps: 10, minRatio: 0.1 },
      ema: 0.9,
      evalEvery: 30,
      evalOptions: { batchSize: 16 },
      outDir,
      onProgress: (e) => events.push(e),
    });
    const result = await trainer.run();
    const steps = events.filter((e) => e.type === "step") as Extract<TrainEvent, { type: "step" }>[];
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const first = mean(steps.slice(0, 20).map((e) => e.metrics.lmLoss / 16));
    const last = mean(steps.slice(-20).map((e) => e.metrics.lmLoss / 16));
    const evals = events.filter((e) => e.type === "eval") as Extract<TrainEvent, { type: "eval" }>[];
    console.log(
      `toy task: mean LM loss per sequence, steps 1-20 ${first.toFixed(4)}, steps 221-240 ${last.toFixed(4)}; ` +
        `eval token accuracy ${evals.map((e) => e.summary.accuracy.toFixed(3)).join(" -> ")}, ` +
        `exact ${evals.map((e) => e.summary.exactAccuracy.toFixed(3)).join(" -> ")}`,
    );
    expect(result.steps).toBe(240);
    expect(last).toBeLessThan(0.5 * first);
    expect(evals.map((e) => e.step)).toEqual([30, 60, 90, 120, 150, 180, 210, 240]);
    expect(result.lastEval!.accuracy).toBeGreaterThan(0.8);
    // metrics.jsonl: one train line per step plus the evals.
    const lines = (await readFile(join(outDir, "metrics.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === "train").map((l) => l.step)).toEqual(Array.from({ length: 240 }, (_, i) => i + 1));
    expect(lines.filter((l) => l.type === "eval").length).toBe(8);
    expect(Object.keys(lines[0])).toEqual(expect.arrayContaining(["loss", "lm_loss", "q_halt_loss", "lr", "exact_accuracy", "epoch"]));
    expect(lines[0].lr).toBeCloseTo(5e-3 / 10, 12);
    // The checkpoint holds the EMA weights under reference names, the raw ones for resume.
    const ckpt = await loadCheckpoint(result.checkpoint!);
    expect([...ckpt.tensors.model.keys()]).toEqual(expect.arrayContaining(["lm_head.weight", "H_init", "puzzle_emb.weights"]));
    const emaWeight = ckpt.tensors.model.get("L.weight")!.data as Float32Array;
    const rawWeight = ckpt.tensors.train_params.get("L.weight")!.data as Float32Array;
    expect(Array.from(rawWeight)).toEqual(Array.from(model.p("L.weight").dataSync()));
    expect(Array.from(emaWeight)).not.toEqual(Array.from(rawWeight));
    expect((ckpt.config as { step: number; weights: string }).weights).toBe("ema");
    trainer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("both optimizers follow one warmup schedule, each from its own base rate", () => {
    const model = reasoner();
    const trainer = new Trainer({
      reasoner: model, train, batchSize: 16, steps: 100, seed: 0,
      optimizer: { lr: 1e-4 }, puzzleOptimizer: { lr: 1e-2 }, schedule: { warmupSteps: 20, minRatio: 1 },
    });
    expect(trainer.learningRates(1)).toEqual({ lr: 1e-4 / 20, puzzleLr: 1e-2 / 20 });
    expect(trainer.learningRates(50)).toEqual({ lr: 1e-4, puzzleLr: 1e-2 });
    // The puzzle rows change only through SignSGD: by exactly lr·(decay and sign) per touched row.
    const table = model.puzzleEmbedding!.table;
    const before = table.arraySync() as number[][];
    trainer.trainStep();
    const after = table.arraySync() as number[][];
    const changed = after.filter((row, i) => row.some((v, j) => v !== before[i][j])).length;
    expect(changed).toBeGreaterThan(0);
    after.forEach((row, i) =>
      row.forEach((v, j) => {
        if (v === before[i][j]) return;
        const step = Math.abs(v - before[i][j] * (1 - (1e-2 / 20) * 0.1));
        expect(step).toBeCloseTo(1e-2 / 20, 6);
      }),
    );
    trainer.dispose();
    model.dispose();
  });

  it("stops with TrainingDivergedError naming the step and keeps the last good checkpoint", async () => {
    const model = reasoner();
    const outDir = join(dir, "nan");
    const trainer = new Trainer({
      reasoner: model, train, batchSize: 16, steps: 10, seed: 0, checkpointEvery: 2, outDir,
      schedule: { warmupSteps: 1 },
      onProgress: (e) => {
        if (e.type === "step" && e.step === 3) tf.tidy(() => model.p("lm_head.weight").assign(tf.fill([16, V], NaN)));
      },
    });
    const err = await trainer.run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingDivergedError);
    expect((err as TrainingDivergedError).step).toBe(4);
    expect((err as Error).message).toMatch(/step 4/);
    expect((err as TrainingDivergedError).lastGoodCheckpoint).toBe(join(outDir, "checkpoint"));
    const ckpt = await loadCheckpoint(join(outDir, "checkpoint"));
    expect((ckpt.config as { step: number }).step).toBe(2);
    expect(Array.from(ckpt.tensors.model.get("lm_head.weight")!.data as Float32Array).every(Number.isFinite)).toBe(true);
    trainer.dispose();
    model.dispose();
  });

  it("100 trainer steps (EMA, both optimizers, exploration) leak no tensors", () => {
    const model = reasoner();
    const trainer = new Trainer({ reasoner: model, train, batchSize: 16, steps: 200, seed: 1, ema: 0.99 });
    for (let i = 0; i < 3; i++) trainer.trainStep();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) trainer.trainStep();
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    model.dispose();
  });
});
