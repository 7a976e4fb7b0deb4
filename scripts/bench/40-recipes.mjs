// Throughput of every recipe's model (recipes/*/recipe.json) on the engine `npm run bench` runs on: training
// (optimizer steps of the recipe's batch, each one supervision step for every slot) and evaluation (puzzles solved
// per second, every supervision step the model runs by default). Freshly initialised weights: speed does not depend
// on them. Training draws from the bundled test split, which is plenty for a few steps; nothing is written. CPU
// seconds are reported beside wall seconds: on a shared machine they are the steadier figure.
import { readdir, readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { evaluate, initEngine, readPuzzleDataset, Trainer, tf } from "@recurse/core";
import { recipeRegistry } from "../recipes/registry.mjs";

export const name = "recipes";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TRAIN_STEPS = 3;
const EVAL_PUZZLES = 64;

export async function run({ json }) {
  const engine = await initEngine("wasm");
  const dataDir = join(root, "data/sudoku6");
  if (!existsSync(join(dataDir, "test", "dataset.json"))) {
    if (!json) console.log("data/sudoku6/test is missing: run node scripts/recipes/build-data.mjs");
    return {};
  }
  const split = await readPuzzleDataset(dataDir, "test");
  const registry = await recipeRegistry();
  const figures = {};
  for (const dir of (await readdir(join(root, "recipes"), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const file = join(root, "recipes", dir, "recipe.json");
    if (!existsSync(file)) continue;
    const recipe = JSON.parse(await readFile(file, "utf8"));
    if (!registry.architectures.has(recipe.architecture)) {
      if (!json) console.log(`${recipe.name}: architecture ${recipe.architecture} is not available yet`);
      continue;
    }
    const t = recipe.training;
    const config = registry.architectures.resolveConfig(recipe.architecture, { preset: recipe.preset, overrides: { ...recipe.overrides, seed: t.seed } });
    const model = registry.architectures.get(recipe.architecture).create(config);
    const parameters = [...model.parameters().values()].reduce((n, v) => n + v.size, 0);
    const trainer = new Trainer({
      reasoner: model,
      train: split,
      batchSize: t.batchSize,
      steps: TRAIN_STEPS + 1,
      seed: t.seed,
      optimizer: { kind: t.optimizer, lr: t.lr, weightDecay: t.weightDecay, betas: t.betas },
      schedule: { warmupSteps: t.warmupSteps, minRatio: t.minLrRatio },
      ema: t.ema ?? null,
    });
    trainer.trainStep(); // compiles kernels, allocates the carry
    let started = performance.now();
    let cpu = process.cpuUsage();
    for (let i = 0; i < TRAIN_STEPS; i++) trainer.trainStep();
    const stepSeconds = (performance.now() - started) / 1000 / TRAIN_STEPS;
    const stepCpuSeconds = cpuSince(cpu) / TRAIN_STEPS;
    trainer.dispose();
    started = performance.now();
    cpu = process.cpuUsage();
    await evaluate(model, split, { limit: EVAL_PUZZLES, batchSize: EVAL_PUZZLES });
    const evalSeconds = (performance.now() - started) / 1000;
    const evalCpuSeconds = cpuSince(cpu);
    model.dispose();
    const steps = model.halting.maxSteps;
    const f = {
      parameters,
      trainStepSeconds: round(stepSeconds),
      trainStepCpuSeconds: round(stepCpuSeconds),
      trainExamplesPerSecond: round(t.batchSize / stepSeconds),
      evalPuzzlesPerSecond: round(EVAL_PUZZLES / evalSeconds),
      evalPuzzlesPerCpuSecond: round(EVAL_PUZZLES / evalCpuSeconds),
      evalSupervisionSteps: steps,
    };
    figures[`recipe_${recipe.name}`] = f;
    if (!json) {
      console.log(
        `${recipe.name.padEnd(9)} ${parameters.toLocaleString("en-US").padStart(8)} params | train: ${f.trainStepSeconds} s/step of ${t.batchSize} ` +
          `(${f.trainExamplesPerSecond} examples/s; ${f.trainStepCpuSeconds} CPU s/step) | eval: ${f.evalPuzzlesPerSecond} puzzles/s ` +
          `(${f.evalPuzzlesPerCpuSecond} per CPU s) at ${steps} step(s)`,
      );
    }
  }
  if (!json) console.log(`(${engine.engine}, ${engine.threads} thread(s); tensors left: ${tf.memory().numTensors})`);
  return figures;
}

function cpuSince(start) {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
}

function round(x) {
  return Number(x.toPrecision(3));
}
