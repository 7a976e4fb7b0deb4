// Evaluates a bundled checkpoint on the whole bundled held-out test set (every puzzle, every supervision step the
// model runs by default) and records the result in its RECIPE.json under `evaluation`: exact and token accuracy,
// the per-step exact-accuracy curve, and the curve on the seeded subset the CI test re-checks.
//
//   node scripts/recipes/record-eval.mjs <model> [<model> ...]      # names under checkpoints/sudoku6/
import { readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { evaluate, evaluationSubset, initEngine, loadReasoner, readPuzzleDataset, summarizeEvaluation } from "@recurse/core";
import { CHECKPOINTS, repoRoot, TEST_DATA } from "./bundled.mjs";
import { recipeRegistry } from "./registry.mjs";

/** The subset the CI test evaluates: 64 puzzles drawn with seed 0 (core's evaluationSubset). */
export const CI_SUBSET = { limit: 64, seed: 0 };

export async function recordEvaluation(name, { log = console.log } = {}) {
  const dir = join(repoRoot, CHECKPOINTS, name);
  const registry = await recipeRegistry();
  const split = await readPuzzleDataset(join(repoRoot, TEST_DATA), "test");
  const { reasoner, step } = await loadReasoner(registry, dir);
  const steps = reasoner.halting.maxSteps;
  const started = performance.now();
  const out = await evaluate(reasoner, split, { steps, trace: true, batchSize: 128 });
  const seconds = (performance.now() - started) / 1000;
  reasoner.dispose();
  const summary = summarizeEvaluation(out);
  const n = out.numExamples;
  const curve = out.trace.map((r) => r.correct.reduce((a, b) => a + b, 0) / n);
  const subset = evaluationSubset(n, CI_SUBSET.limit, CI_SUBSET.seed);
  const subsetCurve = out.trace.map((r) => subset.reduce((a, i) => a + r.correct[i], 0) / subset.length);
  const evaluation = {
    data: `${TEST_DATA}/test`,
    puzzles: n,
    steps,
    trainedSteps: step,
    exact: summary.exactAccuracy,
    token: summary.accuracy,
    curve: curve.map(round4),
    ciSubset: { ...CI_SUBSET, curve: subsetCurve.map(round4) },
    seconds: Math.round(seconds),
    command: `node scripts/recipes/record-eval.mjs ${name}`,
  };
  const file = join(dir, "RECIPE.json");
  const recipe = JSON.parse(await readFile(file, "utf8"));
  recipe.evaluation = evaluation;
  await writeFile(file, JSON.stringify(recipe, null, 2) + "\n");
  log(
    `${name}: exact ${(100 * evaluation.exact).toFixed(1)}% on ${n} held-out puzzles at ${steps} step(s) ` +
      `(per step: ${curve.map((c) => (100 * c).toFixed(1)).join(" ")}) in ${evaluation.seconds} s -> ${relative(repoRoot, file)}`,
  );
  return evaluation;
}

function round4(x) {
  return Math.round(x * 10000) / 10000;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await initEngine("wasm");
  for (const name of process.argv.slice(2)) await recordEvaluation(name);
}
