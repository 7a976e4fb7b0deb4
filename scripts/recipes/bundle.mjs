// Bundles a finished recipe run: copies the evaluation weights (the EMA copy when the recipe keeps one, as the
// Trainer saves them in model.safetensors) and the model config into the recipe's `bundle` directory (a checkpoint
// `recurse eval --model` reads; no optimizer or trainer state), writes RECIPE.json beside them (the commands, seed,
// commits, budget in steps, wall and CPU time, learning curve), then evaluates it on the whole held-out test set.
//
//   node scripts/recipes/bundle.mjs recipes/<name> [--run DIR]      # DIR defaults to runs/sudoku6/<name>
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { basename, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { initEngine, loadCheckpoint, saveCheckpoint } from "@recurse/core";
import { repoRoot } from "./bundled.mjs";
import { recordEvaluation } from "./record-eval.mjs";

export async function bundleRun(recipeDir, runDir) {
  const recipe = JSON.parse(await readFile(join(recipeDir, "recipe.json"), "utf8"));
  const summary = JSON.parse(await readFile(join(runDir, "summary.json"), "utf8"));
  const target = resolve(repoRoot, recipe.bundle);
  const saved = await loadCheckpoint(join(runDir, "checkpoint"), { tensors: ["model"] });
  const c = saved.config;
  await saveCheckpoint(target, {
    config: { architecture: c.architecture, config: c.config, step: c.step, weights: c.weights, dataset: c.dataset, preset: recipe.preset, recipe: recipe.name },
    tensors: { model: saved.tensors.model },
  });
  const { commit, uncommittedPackageFiles, ...run } = summary;
  const recipePath = relative(repoRoot, recipeDir);
  const record = {
    recipe: recipePath,
    command: `node scripts/recipes/train.mjs ${recipePath} --bundle`,
    cli: recipe.cli,
    data: { dir: recipe.data, command: "node scripts/recipes/build-data.mjs", options: "data/sudoku6.build.json" },
    seed: recipe.training.seed,
    trainedAtCommit: commit ?? null,
    uncommittedPackageFilesWhenTrained: uncommittedPackageFiles ?? null,
    bundledAtCommit: git(["rev-parse", "HEAD"]),
    date: new Date().toISOString(),
    node: process.version,
    ...run,
  };
  await writeFile(join(target, "RECIPE.json"), JSON.stringify(record, null, 2) + "\n");
  console.log(`bundled ${relative(repoRoot, target)} (step ${c.step}, ${c.weights} weights); evaluating it on the whole held-out test set`);
  await recordEvaluation(basename(target));
}

function git(argv) {
  try {
    return execFileSync("git", argv, { cwd: repoRoot, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  if (!args[0]) throw new Error("usage: node scripts/recipes/bundle.mjs recipes/<name> [--run DIR]");
  const recipeDir = resolve(repoRoot, args[0]);
  const at = args.indexOf("--run");
  const runDir = resolve(repoRoot, at >= 0 ? args[at + 1] : join("runs", "sudoku6", basename(recipeDir)));
  await initEngine("wasm");
  await bundleRun(recipeDir, runDir);
}
