// `npm run demo`: the main job on bundled defaults. `recurse eval` evaluates every bundled checkpoint
// (checkpoints/sudoku6/*: TRM-MLP, TRM attention, HRM with token-mixing and with attention blocks, and the
// single-pass baseline, each trained by its recipe in recipes/) on the bundled held-out 6x6 Sudoku test set and
// writes results.json, results.md, report.html and viewer traces; this script then prints the accuracy after each
// supervision step beside the figure each checkpoint scored on all 500 puzzles when it was bundled.
//
//   npm run demo [-- --limit K | --full] [--seed S] [--out DIR]
//
// By default a seeded subset of 100 of the 500 held-out puzzles (the same 100 for every model), each model for its
// own number of supervision steps (16 for the recursive models, 1 for the baseline): all 500 take several minutes
// on 2 cores. `--full` evaluates all 500.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { bundledCheckpoints, repoRoot, TEST_DATA } from "./recipes/bundled.mjs";

const DEFAULT_LIMIT = 100;
const args = process.argv.slice(2);
const flag = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const full = args.includes("--full");
const limit = Number(flag("--limit") ?? DEFAULT_LIMIT);
const seed = Number(flag("--seed") ?? 0);
const out = resolve(repoRoot, flag("--out") ?? "results/demo");
const checkpoints = flag("--checkpoints");
const started = performance.now();

const bundled = bundledCheckpoints(repoRoot, checkpoints && resolve(checkpoints));
if (bundled.length === 0 || !existsSync(join(repoRoot, TEST_DATA, "test", "dataset.json"))) {
  console.log("No bundled checkpoints or test set found (checkpoints/sudoku6/, data/sudoku6/test/); recipes/README.md says how to train them.");
  process.exit(0);
}

const cli = join(repoRoot, "apps/cli/dist/bin.js");
const evalArgs = ["eval", ...bundled.flatMap((b) => ["--model", relative(repoRoot, b.dir)]), "--data", TEST_DATA, "--out", relative(repoRoot, out)];
if (!full) evalArgs.push("--limit", String(limit), "--seed", String(seed));
evalArgs.push("--batch-size", "128");
console.log(`$ recurse ${evalArgs.join(" ")}`);
const result = spawnSync(process.execPath, [cli, ...evalArgs], { cwd: repoRoot, stdio: "inherit" });
if (result.status !== 0) process.exit(result.status ?? 1);

const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
console.log("\n" + curveTable(results));
console.log(`\nreport: ${relative(process.cwd(), join(out, "report.html"))}; browse the step-by-step answers with: npx recurse view ${relative(process.cwd(), out)}`);
console.log(`demo finished in ${((performance.now() - started) / 1000).toFixed(0)} s`);

/** Exact accuracy after a few supervision steps, the figure recorded on all 500 puzzles, and the training budget. */
function curveTable(results) {
  const maxSteps = Math.max(...results.entries.map((e) => e.steps));
  const shown = [1, 2, 3, 4, 8, 16].filter((s) => s <= maxSteps);
  if (!shown.includes(maxSteps)) shown.push(maxSteps);
  const evaluated = results.entries[0]?.examples ?? 0;
  const rows = [["exact after step", ...shown.map(String), "all 500 (recorded)", "trained"]];
  for (const e of results.entries) {
    const recipe = bundled.find((b) => b.name === e.model)?.recipe;
    const at = (s) => (e.curve && s <= e.curve.step.length ? pct(e.curve.exact_accuracy[s - 1]) : "");
    const recorded = recipe?.evaluation ? pct(recipe.evaluation.exact) : "n/a";
    const budget = recipe ? `${recipe.steps} of ${budgetSteps(e.model) ?? recipe.steps} steps` : "";
    rows.push([e.model, ...shown.map(at), recorded, budget]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) => r.map((v, c) => (c === 0 || c === r.length - 1 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join("  "));
  return [`exact accuracy on ${evaluated} held-out puzzles after each supervision step:`, ...lines].join("\n");
}

/** The recipe's step budget (recipes/<name>/recipe.json), when there is one. */
function budgetSteps(name) {
  const file = join(repoRoot, "recipes", name, "recipe.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).training?.steps : undefined;
}

function pct(x) {
  return x === null || x === undefined ? "n/a" : `${(100 * x).toFixed(1)}%`;
}
