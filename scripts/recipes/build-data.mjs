// Builds the 6x6 Sudoku dataset every sudoku6 recipe trains on, and the bundled held-out test split.
//
//   node scripts/recipes/build-data.mjs [--out data/sudoku6]
//
// Options live in data/sudoku6.build.json (the one place they are written down). The build is deterministic:
// the same options give byte-identical files, so data/sudoku6/test (committed) is reproduced exactly, and
// data/sudoku6/train (about 9 MB, not committed) is rebuilt in seconds.
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSudokuDataset } from "@recurse/datasets-sudoku";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const outAt = args.indexOf("--out");
const spec = JSON.parse(await readFile(join(root, "data/sudoku6.build.json"), "utf8"));
const out = resolve(root, outAt >= 0 ? args[outAt + 1] : spec.out);

const report = await buildSudokuDataset({ ...spec.options, out });
console.log(
  `${report.shape}: ${report.trainPuzzles} training puzzles x ${report.augmentations + 1} versions, ` +
    `${report.testPuzzles} test puzzles (test stream seeded apart; ${report.leaks.found} drawn test puzzles equivalent to a training puzzle were skipped) ` +
    `in ${report.seconds.toFixed(1)} s -> ${out}`,
);
for (const w of report.warnings) console.log(`warning: ${w}`);
