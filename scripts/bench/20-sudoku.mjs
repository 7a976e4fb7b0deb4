// Sudoku: solver speed on tdoku's magictour_top1465 set, generator speed (minimal 6x6, 9x9 with 26 givens),
// canonical-key speed, and the time to build the reference recipe (1000 puzzles x 1000 augmentations).
// Reads the project's shared data folder when present; the recipe build falls back to generated puzzles.
// Times are CPU seconds of this process (wall time too for the build), so a busy machine skews them less.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Rng } from "@recurse/core";
import {
  buildSudokuDataset,
  canonicalKey,
  formatGrid,
  generatePuzzle,
  parseSudokuText,
  shapeForSize,
  SudokuSolver,
} from "@recurse/datasets-sudoku";

export const name = "sudoku";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const SHARED = resolve(repoRoot, "../shared/data/sudoku");
const MAGICTOUR = join(SHARED, "tdoku-benchmarks/puzzles3_magictour_top1465.txt");

// CPU seconds of this (single-threaded) process: on a shared machine wall time also counts other processes.
function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function timeIt(fn) {
  const c0 = cpuSeconds();
  const t0 = performance.now();
  const value = fn();
  return { value, seconds: cpuSeconds() - c0, wall: (performance.now() - t0) / 1000 };
}

function solverBench(log) {
  if (!existsSync(MAGICTOUR)) {
    log(`solver: skipped, ${MAGICTOUR} is absent`);
    return {};
  }
  const records = parseSudokuText(readFileSync(MAGICTOUR, "utf8"), { file: MAGICTOUR });
  const solver = new SudokuSolver(records[0].shape);
  for (const r of records.slice(0, 200)) solver.solve(r.question); // warm-up
  let best = Infinity;
  let guesses = 0;
  let unique = 0;
  for (let rep = 0; rep < 3; rep++) {
    const { seconds } = timeIt(() => {
      guesses = 0;
      unique = 0;
      for (const r of records) {
        const res = solver.solve(r.question);
        guesses += res.guesses;
        if (res.count === 1) unique++;
      }
    });
    best = Math.min(best, seconds);
  }
  const perSecond = records.length / best;
  log(`solver: magictour_top1465 ${records.length} puzzles (solve + prove unique) in ${best.toFixed(3)} CPU s = ${perSecond.toFixed(0)} puzzles/s; mean guesses ${(guesses / records.length).toFixed(1)}; unique ${unique}`);
  return { sudoku_solver_puzzles_per_s: Math.round(perSecond), sudoku_solver_mean_guesses: +(guesses / records.length).toFixed(2) };
}

function generatorBench(log) {
  const out = {};
  for (const [size, givens, count, key] of [
    [6, undefined, 3000, "sudoku_generate_6x6_minimal_per_s"],
    [9, 26, 300, "sudoku_generate_9x9_26_givens_per_s"],
  ]) {
    const shape = shapeForSize(size);
    const solver = new SudokuSolver(shape);
    const rng = new Rng(1);
    let total = 0;
    const { seconds } = timeIt(() => {
      for (let i = 0; i < count; i++) total += generatePuzzle(shape, rng, { givens, solver }).givens;
    });
    out[key] = Math.round(count / seconds);
    log(`generator: ${shape.label}${givens === undefined ? " minimal" : ` ${givens} givens`}: ${count} in ${seconds.toFixed(2)} CPU s = ${(count / seconds).toFixed(0)} puzzles/s (mean givens ${(total / count).toFixed(2)})`);
  }
  for (const [size, givens, count, key] of [
    [9, 26, 300, "sudoku_canonical_key_9x9_ms"],
    [16, 140, 10, "sudoku_canonical_key_16x16_ms"],
  ]) {
    const shape = shapeForSize(size);
    const rng = new Rng(2);
    const solver = new SudokuSolver(shape);
    const puzzles = Array.from({ length: count }, () => generatePuzzle(shape, rng, { givens, solver }));
    const { seconds } = timeIt(() => {
      for (const p of puzzles) canonicalKey(p.question, shape, p.answer);
    });
    out[key] = +((seconds * 1000) / count).toFixed(3);
    log(`canonical key: ${shape.label}: ${out[key]} CPU ms per puzzle`);
  }
  return out;
}

async function recipeBench(log) {
  const dir = mkdtempSync(join(tmpdir(), "recurse-sudoku-bench-"));
  try {
    const trainSource = join(SHARED, "derived/tdoku_puzzles5_forum_hardest_1905_11plus.csv");
    const testSource = join(SHARED, "derived/tdoku_puzzles3_magictour_top1465.csv");
    const train = join(dir, "train.csv");
    const test = join(dir, "test.csv");
    let what;
    if (existsSync(trainSource) && existsSync(testSource)) {
      copyFileSync(trainSource, train);
      copyFileSync(testSource, test);
      what = "train = forum_hardest_11+ (48,765 rows, 1000 drawn), test = magictour (1465)";
    } else {
      const shape = shapeForSize(9);
      const rng = new Rng(3);
      const solver = new SudokuSolver(shape);
      const csv = (n) =>
        "source,question,answer,rating\n" +
        Array.from({ length: n }, () => {
          const p = generatePuzzle(shape, rng, { givens: 26, solver });
          return `gen,${formatGrid(p.question)},${Array.from(p.answer).join("")},${p.guesses}`;
        }).join("\n") + "\n";
      writeFileSync(train, csv(1000));
      writeFileSync(test, csv(100));
      what = "shared data absent: 1000 generated training puzzles, 100 test";
    }
    const c0 = cpuSeconds();
    const report = await buildSudokuDataset({ inputs: [train, test], trainSize: 1000, augmentations: 1000, seed: 0, out: join(dir, "out") });
    const cpu = cpuSeconds() - c0;
    const examples = report.splits.train.examples;
    log(
      `recipe build (${what}): ${examples.toLocaleString("en")} train examples + ${report.splits.test.examples} test in ${cpu.toFixed(2)} CPU s, ${report.seconds.toFixed(2)} s wall ` +
        `(wall: read/solve ${report.timings.prepare.toFixed(2)} s, augment + write ${report.timings.write.toFixed(2)} s)`,
    );
    return { sudoku_recipe_build_cpu_s: +cpu.toFixed(2), sudoku_recipe_build_wall_s: +report.seconds.toFixed(2), sudoku_recipe_examples: examples };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run({ json }) {
  const log = json ? () => {} : (line) => console.log(line);
  return { ...solverBench(log), ...generatorBench(log), ...(await recipeBench(log)) };
}
