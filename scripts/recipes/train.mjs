// Trains one recipe (recipes/<name>/recipe.json) through @recurse/core's Trainer, logging metrics.jsonl and a
// held-out learning curve, and with --bundle hands the run to bundle.mjs (checkpoints/sudoku6/<name>/ with the
// evaluation weights, config and RECIPE.json, then the whole-test-set evaluation).
//
//   node scripts/recipes/train.mjs recipes/trm-mlp [--steps N] [--cpu-minutes M] [--out DIR] [--resume] [--bundle]
//
// The budget: `training.steps` optimizer steps, and optionally `training.cpuMinutes` of CPU time spent in optimizer
// steps (the run stops at whichever comes first; the held-out evaluations along the way are not counted). CPU time,
// not wall time, because the 2-core machine these recipes were made on was shared by other jobs: 60 CPU minutes is
// 30 minutes of both cores. Both clocks are recorded, with and without the evaluations.
import { execFileSync } from "node:child_process";
import { appendFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { initEngine, Trainer, tf } from "@recurse/core";
import { loadSudokuDataset } from "@recurse/datasets-sudoku";
import { bundleRun } from "./bundle.mjs";
import { recipeRegistry } from "./registry.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const flag = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
if (!args[0] || args[0].startsWith("--")) throw new Error("usage: node scripts/recipes/train.mjs recipes/<name> [--steps N] [--cpu-minutes M] [--out DIR] [--resume] [--bundle]");
const recipeDir = resolve(root, args[0]);
const recipe = JSON.parse(await readFile(join(recipeDir, "recipe.json"), "utf8"));
const t = recipe.training;
const steps = Number(flag("--steps") ?? t.steps);
const cpuMinutes = Number(flag("--cpu-minutes") ?? t.cpuMinutes ?? Infinity);
const runDir = resolve(root, flag("--out") ?? join("runs", "sudoku6", recipe.name));
const resume = args.includes("--resume");
const bundle = args.includes("--bundle");

const engine = await initEngine(recipe.engine ?? "wasm");
const registry = await recipeRegistry();
const spec = registry.architectures.get(recipe.architecture);
const dataDir = resolve(root, recipe.data);
const { train, test } = await loadSudokuDataset(dataDir);
const sizes = { vocabSize: train.metadata.vocabSize, seqLen: train.metadata.seqLen, numPuzzleIdentifiers: train.metadata.numPuzzleIdentifiers };
const config = registry.architectures.resolveConfig(recipe.architecture, { preset: recipe.preset, overrides: { ...sizes, ...recipe.overrides, seed: t.seed } });
const reasoner = spec.create(config);
const parameters = [...reasoner.parameters().values()].reduce((n, v) => n + v.size, 0);

const trainer = new Trainer({
  reasoner,
  train,
  eval: test,
  batchSize: t.batchSize,
  steps,
  seed: t.seed,
  optimizer: { kind: t.optimizer, lr: t.lr, weightDecay: t.weightDecay, betas: t.betas },
  puzzleOptimizer: t.puzzleOptimizer,
  schedule: { warmupSteps: t.warmupSteps, minRatio: t.minLrRatio },
  ema: t.ema ?? null,
  evalOptions: { limit: t.evalLimit, seed: 0, batchSize: t.evalLimit ?? 64 },
});
const checkpointDir = join(runDir, "checkpoint");
const metricsFile = join(runDir, "metrics.jsonl");
// Two clocks: all of the process (training, held-out evaluations, checkpoints), and training alone (optimizer
// steps: the budget). Both CPU and wall.
let before = { cpu: 0, wall: 0, trainCpu: 0, trainWall: 0 };
const curve = [];
if (resume && existsSync(join(checkpointDir, "manifest.json"))) {
  await trainer.restore(checkpointDir);
  const state = JSON.parse(await readFile(join(runDir, "progress.json"), "utf8"));
  // Lines logged after the checkpoint belong to steps that are run again: drop them.
  const kept = (await readFile(metricsFile, "utf8")).split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((r) => r.step <= trainer.stepsDone);
  // A progress.json without the training clock predates it: the last train line's clock had no evaluation in it.
  const lastTrain = kept.findLast((r) => r.type === "train");
  before = {
    cpu: state.cpuSeconds,
    wall: state.wallSeconds,
    trainCpu: state.trainCpuSeconds ?? lastTrain.cpuSeconds,
    trainWall: state.trainWallSeconds ?? lastTrain.wallSeconds,
  };
  await writeFile(metricsFile, kept.map((r) => JSON.stringify(r) + "\n").join(""));
  for (const r of kept) if (r.type === "eval") curve.push({ ...r, type: undefined });
  console.log(`resumed at step ${trainer.stepsDone} (${(before.trainCpu / 60).toFixed(1)} training CPU min so far)`);
} else {
  await rm(runDir, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });
}

console.log(
  `${recipe.name}: ${recipe.architecture} (${recipe.preset}), ${parameters.toLocaleString("en-US")} parameters, ${engine.engine} ${engine.threads} thread(s); ` +
    `${steps} steps of batch ${t.batchSize}${Number.isFinite(cpuMinutes) ? `, at most ${cpuMinutes} CPU minutes` : ""} -> ${relative(root, runDir)}`,
);

const startCommit = git(["rev-parse", "HEAD"]);
const startDirty = git(["status", "--porcelain", "--", "packages"]).split("\n").filter(Boolean).length;
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
const cpuNow = () => {
  const u = process.cpuUsage(cpu0);
  return (u.user + u.system) / 1e6;
};
const cpuSeconds = () => before.cpu + cpuNow();
const wallSeconds = () => before.wall + (performance.now() - wall0) / 1000;
let trainCpu = before.trainCpu;
let trainWall = before.trainWall;
const log = (record) => appendFile(metricsFile, JSON.stringify(record) + "\n");
let stoppedBy = "steps";
let window = { n: 0, loss: 0, exact: 0, steps: 0 };

const evaluateNow = async () => {
  const started = performance.now();
  const s = await trainer.evaluate();
  const point = { step: trainer.stepsDone, exact: s.exactAccuracy, token: s.accuracy, examples: s.numExamples, trainCpuSeconds: trainCpu, evalSeconds: (performance.now() - started) / 1000 };
  curve.push(point);
  await log({ type: "eval", ...point });
  console.log(`  eval @ ${point.step}: exact ${(100 * point.exact).toFixed(1)}% token ${(100 * point.token).toFixed(1)}% (${point.examples} puzzles, ${point.evalSeconds.toFixed(0)} s)`);
};

while (trainer.stepsDone < steps) {
  const c = cpuNow();
  const w = performance.now();
  const m = trainer.trainStep();
  trainCpu += cpuNow() - c;
  trainWall += (performance.now() - w) / 1000;
  const step = trainer.stepsDone;
  const { lr } = trainer.learningRates(step);
  window = { n: window.n + 1, loss: window.loss + m.loss / t.batchSize, exact: window.exact + m.mean.exactAccuracy, steps: window.steps + m.mean.steps };
  await log({ type: "train", step, lr, loss: m.loss / t.batchSize, accuracy: m.mean.accuracy, exact: m.mean.exactAccuracy, halted: m.count, meanSteps: m.mean.steps, qHaltAccuracy: m.mean.qHaltAccuracy, trainCpuSeconds: trainCpu, trainWallSeconds: trainWall, cpuSeconds: cpuSeconds(), wallSeconds: wallSeconds() });
  if (step % 25 === 0) {
    console.log(
      `  step ${step}: loss ${(window.loss / window.n).toFixed(4)} train exact ${(100 * window.exact / window.n).toFixed(1)}% ` +
        `halt steps ${(window.steps / window.n).toFixed(1)} | ${(trainWall / step).toFixed(2)} s/step wall, ${(trainCpu / 60).toFixed(1)} training CPU min, load ${loadavg()[0].toFixed(1)}`,
    );
    window = { n: 0, loss: 0, exact: 0, steps: 0 };
  }
  const outOfTime = trainCpu >= cpuMinutes * 60;
  if (outOfTime) stoppedBy = "cpu-minutes";
  const last = step === steps || outOfTime;
  if ((t.evalEvery && step % t.evalEvery === 0) || last) await evaluateNow();
  if ((t.checkpointEvery && step % t.checkpointEvery === 0) || last) {
    await trainer.save(checkpointDir);
    await writeFile(join(runDir, "progress.json"), JSON.stringify({ step, trainCpuSeconds: trainCpu, trainWallSeconds: trainWall, cpuSeconds: cpuSeconds(), wallSeconds: wallSeconds() }) + "\n");
  }
  if (outOfTime) break;
}

const summary = {
  recipe: recipe.name,
  architecture: recipe.architecture,
  preset: recipe.preset,
  overrides: recipe.overrides,
  parameters,
  steps: trainer.stepsDone,
  stoppedBy,
  batchSize: t.batchSize,
  trainWallSeconds: Math.round(trainWall),
  trainCpuSeconds: Math.round(trainCpu),
  wallSeconds: Math.round(wallSeconds()),
  cpuSeconds: Math.round(cpuSeconds()),
  engine: `${engine.engine} (${engine.threads} thread(s))`,
  cpu: `${cpus()[0]?.model ?? "unknown"} x ${cpus().length}`,
  curve,
  commit: startCommit,
  uncommittedPackageFiles: startDirty,
};
await writeFile(join(runDir, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
console.log(
  `done: ${summary.steps} steps, ${(trainCpu / 60).toFixed(1)} CPU min and ${(trainWall / 60).toFixed(1)} wall min of training ` +
    `(${(summary.cpuSeconds / 60).toFixed(1)} and ${(summary.wallSeconds / 60).toFixed(1)} with the held-out evaluations)`,
);

trainer.dispose();
reasoner.dispose();
if (tf.memory().numTensors > 0) console.log(`(${tf.memory().numTensors} tensors still allocated at exit)`);
if (bundle) await bundleRun(recipeDir, runDir);

function git(argv) {
  try {
    return execFileSync("git", argv, { cwd: root, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}
