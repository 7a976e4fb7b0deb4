/**
 * Stopping a run early through `TrainerOptions.signal` (what Ctrl-C in `recurse train` does): the trainer stops
 * between steps, saves a checkpoint of the step reached and logs why; resuming from it reproduces the
 * uninterrupted run exactly.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initEngine, loadCheckpoint, tf, Trainer, type TrainerOptions, type TrainEvent } from "@recurse/core";
import { TinyReasoner } from "./support/tiny-reasoner";
import { makeSplit } from "./support/tiny-dataset";

const L = 5;
const V = 6;
const train = makeSplit([[2, 1, 3], [1], [2, 2], [1, 1], [3], [2], [1, 2], [2]], { seqLen: L, vocab: V, seed: 4 });
const test = makeSplit([[1], [2], [1]], { seqLen: L, vocab: V, seed: 5 });

// q-learning, exploration and EMA on: every piece of resume state (RNG, sampler, carry, moments, shadow) matters.
function reasoner(seed: number): TinyReasoner {
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

interface Recorder {
  losses: number[];
  checkpoints: number[];
}

function options(model: TinyReasoner, outDir: string | undefined, rec: Recorder, extra: Partial<TrainerOptions> = {}): TrainerOptions {
  return {
    reasoner: model,
    train,
    eval: test,
    batchSize: 4,
    steps: 10,
    seed: 3,
    optimizer: { lr: 1e-2, weightDecay: 0.1 },
    puzzleOptimizer: { lr: 1e-2, weightDecay: 0.1 },
    schedule: { warmupSteps: 3, minRatio: 0.2 },
    ema: 0.9,
    evalEvery: 4,
    checkpointEvery: 4,
    outDir,
    onProgress: (e: TrainEvent) => {
      if (e.type === "step") rec.losses.push(e.metrics.loss);
      if (e.type === "checkpoint") rec.checkpoints.push(e.step);
    },
    ...extra,
  };
}

/** Options whose own onProgress aborts the run right after step `k` has been reported. */
function abortingAfter(k: number, model: TinyReasoner, outDir: string | undefined, rec: Recorder): TrainerOptions {
  const stop = new AbortController();
  const base = options(model, outDir, rec, { signal: stop.signal });
  return {
    ...base,
    onProgress: (e) => {
      base.onProgress!(e);
      if (e.type === "step" && e.step === k) stop.abort();
    },
  };
}

async function records(outDir: string): Promise<Record<string, unknown>[]> {
  return (await readFile(join(outDir, "metrics.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const recorder = (): Recorder => ({ losses: [], checkpoints: [] });

let dir: string;
beforeAll(async () => {
  await initEngine("cpu");
  dir = await mkdtemp(join(tmpdir(), "recurse-stop-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("Trainer stopped through its AbortSignal", () => {
  // k = 6: between checkpoints (4, 8), so the stop writes its own; k = 4: the step's periodic evaluation and
  // checkpoint have just run, so the stop reuses that checkpoint.
  for (const k of [6, 4]) {
    it(`stops after step ${k}, checkpoints it, and a resume reproduces the uninterrupted run exactly`, async () => {
      const before = tf.memory().numTensors;
      const straightRec = recorder();
      const straightModel = reasoner(1);
      const straightDir = join(dir, `straight-${k}`);
      const straight = new Trainer(options(straightModel, straightDir, straightRec));
      const straightResult = await straight.run();
      expect(straightResult.stopped).toBeUndefined();
      expect(straightResult.steps).toBe(10);

      const outDir = join(dir, `stopped-${k}`);
      const firstRec = recorder();
      const firstModel = reasoner(1);
      const first = new Trainer(abortingAfter(k, firstModel, outDir, firstRec));
      const stopped = await first.run();
      expect(stopped).toMatchObject({ steps: k, stopped: "aborted", checkpoint: join(outDir, "checkpoint") });
      expect(first.stepsDone).toBe(k);
      expect(firstRec.losses).toEqual(straightRec.losses.slice(0, k));
      // One checkpoint per step at most: the periodic one at 4, then the stop's own at 6.
      expect(firstRec.checkpoints).toEqual(k === 4 ? [4] : [4, 6]);
      const saved = await loadCheckpoint(join(outDir, "checkpoint"));
      expect((saved.config as { step: number }).step).toBe(k);
      expect((saved.state as { step: number }).step).toBe(k);
      for (const m of Object.values(saved.tensors)) for (const t of m.values()) expect(t.data.length).toBeGreaterThan(0);
      const log = await records(outDir);
      expect(log[log.length - 1]).toEqual({ type: "stopped", step: k, reason: "aborted", totalSteps: 10, checkpoint: join(outDir, "checkpoint") });
      expect(log.filter((r) => r.type === "train").map((r) => r.step)).toEqual(Array.from({ length: k }, (_, i) => i + 1));
      first.dispose();
      firstModel.dispose();

      // Another initialisation: every weight must come from the checkpoint.
      const resumedRec = recorder();
      const resumedModel = reasoner(42);
      const resumed = new Trainer(options(resumedModel, outDir, resumedRec));
      await resumed.restore(join(outDir, "checkpoint"));
      expect(resumed.stepsDone).toBe(k);
      const result = await resumed.run();
      expect(result.stopped).toBeUndefined();
      expect(result.steps).toBe(10);
      expect(resumedRec.losses).toEqual(straightRec.losses.slice(k));
      expect(result.lastEval).toEqual(straightResult.lastEval);
      for (const [name, v] of straightModel.parameters()) {
        expect(Array.from(resumedModel.parameters().get(name)!.dataSync()), name).toEqual(Array.from(v.dataSync()));
      }
      expect(Array.from(resumedModel.puzzleEmbedding!.table.dataSync())).toEqual(Array.from(straightModel.puzzleEmbedding!.table.dataSync()));
      // The log is the uninterrupted one plus the record of the stop, in its place.
      const resumedLog = await records(outDir);
      expect(resumedLog.filter((r) => r.type !== "stopped")).toEqual(await records(straightDir));
      expect(resumedLog.findIndex((r) => r.type === "stopped")).toBe(resumedLog.findIndex((r) => r.type === "train" && r.step === k + 1) - 1);
      console.log(`stop after step ${k}: resumed losses ${resumedRec.losses.map((l) => l.toFixed(6)).join(", ")} (identical to the uninterrupted run)`);

      for (const t of [straight, resumed]) t.dispose();
      for (const m of [straightModel, resumedModel]) m.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it("an already aborted signal stops before the first step, with a resumable checkpoint of step 0", async () => {
    const before = tf.memory().numTensors;
    const outDir = join(dir, "at-zero");
    const model = reasoner(1);
    const rec = recorder();
    const t = new Trainer(options(model, outDir, rec, { signal: AbortSignal.abort() }));
    const result = await t.run();
    expect(result).toEqual({ steps: 0, lastMetrics: undefined, lastEval: undefined, checkpoint: join(outDir, "checkpoint"), stopped: "aborted" });
    expect(rec.losses).toEqual([]);
    expect(await records(outDir)).toEqual([{ type: "stopped", step: 0, reason: "aborted", totalSteps: 10, checkpoint: join(outDir, "checkpoint") }]);

    t.dispose();
    model.dispose();

    const straightRec = recorder();
    const straightModel = reasoner(1);
    const straight = new Trainer(options(straightModel, undefined, straightRec));
    await straight.run();
    const resumedRec = recorder();
    const resumedModel = reasoner(9);
    const resumed = new Trainer(options(resumedModel, outDir, resumedRec));
    await resumed.restore(join(outDir, "checkpoint"));
    await resumed.run();
    expect(resumedRec.losses).toEqual(straightRec.losses);
    for (const x of [straight, resumed]) x.dispose();
    for (const m of [straightModel, resumedModel]) m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("without an outDir it stops and writes nothing", async () => {
    const before = tf.memory().numTensors;
    const model = reasoner(1);
    const rec = recorder();
    const t = new Trainer(abortingAfter(2, model, undefined, rec));
    const result = await t.run();
    expect(result.stopped).toBe("aborted");
    expect(result.steps).toBe(2);
    expect(result.checkpoint).toBeUndefined();
    expect(result.lastMetrics?.loss).toBe(rec.losses[1]);
    expect(rec.checkpoints).toEqual([]);
    expect(existsSync(join(dir, "checkpoint"))).toBe(false);
    t.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
