import { basename, extname, join } from "node:path";
import {
  ConfigError,
  DataFormatError,
  PuzzleDatasetWriter,
  Rng,
  writeDirectoryAtomic,
  writeIdentifiers,
  type DatasetBuildReport,
} from "@recurse/core";
import { transformSourceCells, TransformSampler } from "./augment";
import { formatGrid } from "./charset";
import { sudokuVocabSize, type SudokuDatasetInfo } from "./encode";
import { generatePuzzle } from "./generator";
import { SymmetryIndex } from "./leaks";
import { SudokuFile } from "./load";
import type { SudokuRecord } from "./records";
import { sampleIndices, streamSeed } from "./sample";
import { sudokuBuildSchema, type SudokuBuildInput, type SudokuBuildOptions } from "./schema";
import { shapeForSize, sudokuShape, type SudokuShape } from "./shape";
import { SudokuSolver } from "./solver";

/** A puzzle with its unique solution, ready to encode. */
export interface SudokuPair {
  question: Uint8Array;
  answer: Uint8Array;
}

/** What {@link buildSudokuDataset} wrote. */
export interface SudokuBuildReport extends DatasetBuildReport {
  mode: "files" | "test-only" | "generate";
  /** "9x9 (3x3 boxes)". */
  shape: string;
  boxRows: number;
  boxCols: number;
  /** Original training puzzles (groups) and augmented versions of each besides the original. */
  trainPuzzles: number;
  augmentations: number;
  testPuzzles: number;
  /** Answers the solver filled in (and proved unique). */
  solved: number;
  /** Test puzzles equivalent under symmetry to a training puzzle: whether they were looked for, found, dropped. */
  leaks: { checked: boolean; found: number; dropped: number };
  /** Things a user should know (fewer puzzles than asked, givens targets missed, leaks kept). */
  warnings: string[];
  /** Seconds spent reading/generating/solving, and writing. */
  timings: { prepare: number; write: number };
}

/**
 * True for a test-split file: base name `test`, or ending in `_test`, `-test` or `.test` (any extension).
 *
 * @example
 * ```ts
 * isTestFile("data/test.csv"); // true
 * isTestFile("train.csv");     // false
 * ```
 */
export function isTestFile(path: string): boolean {
  const stem = basename(path, extname(path)).toLowerCase();
  return stem === "test" || /[_.-]test$/.test(stem);
}

/**
 * Validate build options with zod, as a {@link ConfigError} naming the field.
 *
 * @example
 * ```ts
 * const options = parseSudokuBuildOptions({ inputs: ["bank.txt"], out: "data/s" }); // defaults filled
 * ```
 */
export function parseSudokuBuildOptions(input: unknown): SudokuBuildOptions {
  const parsed = sudokuBuildSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.join(".");
  throw new ConfigError(`invalid sudoku build option${field ? ` ${field}` : ""}: ${issue.message}`, { field: field || undefined });
}

/** Several files read as one list of rows. */
class FilePool {
  private readonly offsets: number[] = [0];
  constructor(readonly files: SudokuFile[]) {
    for (const f of files) this.offsets.push(this.offsets[this.offsets.length - 1] + f.count);
  }
  get count(): number {
    return this.offsets[this.offsets.length - 1];
  }
  locate(k: number): { file: SudokuFile; row: number } {
    let f = 0;
    while (this.offsets[f + 1] <= k) f++;
    return { file: this.files[f], row: k - this.offsets[f] };
  }
}

/** Reads records with one shape across files and turns them into solved pairs. */
class PairReader {
  shape: SudokuShape | undefined;
  solved = 0;
  private solver: SudokuSolver | undefined;
  constructor(private readonly verifyUnique: boolean) {}

  read(pool: FilePool, k: number): SudokuPair {
    const { file, row } = pool.locate(k);
    if (this.shape) file.shape = this.shape;
    const rec = file.record(row);
    this.shape ??= rec.shape;
    return this.resolve(rec);
  }

  private resolve(rec: SudokuRecord): SudokuPair {
    const needSolve = !rec.answer || this.verifyUnique;
    if (!needSolve) return { question: rec.question, answer: rec.answer! };
    if (!this.solver || this.solver.shape !== rec.shape) this.solver = new SudokuSolver(rec.shape);
    const res = this.solver.solve(rec.question);
    if (res.count !== 1) {
      throw new DataFormatError(`puzzle ${formatGrid(rec.question)} has ${res.count === 0 ? "no solution" : "more than one solution"}`, {
        file: rec.file,
        field: `line ${rec.line}`,
        expected: "a puzzle with exactly one solution",
      });
    }
    if (!rec.answer) {
      this.solved++;
      return { question: rec.question, answer: res.solution! };
    }
    return { question: rec.question, answer: rec.answer };
  }
}

interface Splits {
  shape: SudokuShape;
  train?: SudokuPair[];
  test: SudokuPair[];
  solved: number;
  leaks: SudokuBuildReport["leaks"];
  mode: SudokuBuildReport["mode"];
}

async function fileSplits(options: SudokuBuildOptions, warnings: string[]): Promise<Splits> {
  const files = await Promise.all(options.inputs.map((p) => SudokuFile.open(p)));
  const testOnly = options.testOnly;
  const trainPool = new FilePool(testOnly ? [] : files.filter((f) => !isTestFile(f.path)));
  const testPool = new FilePool(testOnly ? files : files.filter((f) => isTestFile(f.path)));
  const reader = new PairReader(options.verifyUnique);
  const leaks = { checked: false, found: 0, dropped: 0 };
  const trainRng = new Rng(streamSeed(options.seed, "train"));
  const testRng = new Rng(streamSeed(options.seed, "test"));

  if (testOnly) {
    if (options.trainSize !== undefined) warnings.push("trainSize is ignored with testOnly");
    const idx = sampleIndices(testPool.count, options.testSize, testRng);
    const test = Array.from(idx, (k) => reader.read(testPool, k));
    return { shape: requireShape(reader, options), test, solved: reader.solved, leaks, mode: "test-only" };
  }
  if (trainPool.count === 0 && trainPool.files.length > 0) {
    throw new DataFormatError("no puzzles in the training files", {
      file: trainPool.files.map((f) => f.path).join(", "),
      expected: "at least one puzzle line (blank lines and # comments are skipped)",
    });
  }
  if (trainPool.count === 0) {
    throw new ConfigError("no training puzzles: every input is a test file (named test.* or *_test.*)", {
      field: "inputs",
      expected: "at least one training file, or testOnly",
    });
  }

  if (testPool.files.length > 0) {
    // The user's own split, as the reference (train.csv / test.csv).
    const trainIdx = sampleIndices(trainPool.count, options.trainSize, trainRng);
    if (options.trainSize !== undefined && options.trainSize > trainPool.count) {
      warnings.push(`trainSize ${options.trainSize} asked, but the training files hold ${trainPool.count} puzzles; all are used`);
    }
    const train = Array.from(trainIdx, (k) => reader.read(trainPool, k));
    const testIdx = sampleIndices(testPool.count, options.testSize, testRng);
    let test = Array.from(testIdx, (k) => reader.read(testPool, k));
    const shape = requireShape(reader, options);
    if (options.leaks !== "keep") {
      const index = new SymmetryIndex(shape);
      for (const p of train) index.add(p.question, p.answer);
      const kept = test.filter((p) => !index.has(p.question, p.answer));
      leaks.checked = true;
      leaks.found = test.length - kept.length;
      if (leaks.found > 0 && options.leaks === "error") {
        throw new DataFormatError(`${leaks.found} test puzzles are equivalent under symmetry to training puzzles`, {
          file: testPool.files.map((f) => f.path).join(", "),
          expected: "a test split disjoint from training up to symmetry (or leaks: drop)",
        });
      }
      if (options.leaks === "drop") {
        leaks.dropped = leaks.found;
        test = kept;
      }
    }
    return { shape, train, test, solved: reader.solved, leaks, mode: "files" };
  }

  // No test file: hold test puzzles out of the inputs, none equivalent to a training puzzle.
  const total = trainPool.count;
  const testSize = options.testSize ?? Math.min(1000, Math.floor(total / 10));
  const trainSize = options.trainSize ?? total - testSize;
  if (trainSize + testSize > total) {
    throw new ConfigError(`trainSize ${trainSize} + testSize ${testSize} exceed the ${total} puzzles in the inputs`, {
      field: "trainSize",
      expected: `trainSize + testSize ≤ ${total}`,
    });
  }
  const order = trainRng.permutation(total);
  const train: SudokuPair[] = [];
  for (let i = 0; i < trainSize; i++) train.push(reader.read(trainPool, order[i]));
  const shape = requireShape(reader, options);
  const index = new SymmetryIndex(shape);
  for (const p of train) index.add(p.question, p.answer);
  const held = new SymmetryIndex(shape);
  const test: SudokuPair[] = [];
  leaks.checked = true;
  for (let i = trainSize; i < total && test.length < testSize; i++) {
    const p = reader.read(trainPool, order[i]);
    if (index.has(p.question, p.answer)) {
      leaks.found++;
      leaks.dropped++;
      continue;
    }
    if (held.add(p.question, p.answer)) test.push(p);
  }
  if (test.length < testSize) warnings.push(`only ${test.length} test puzzles left after removing those equivalent to training (asked ${testSize})`);
  return { shape, train, test, solved: reader.solved, leaks, mode: "files" };
}

function requireShape(reader: PairReader, options: SudokuBuildOptions): SudokuShape {
  if (!reader.shape) throw new DataFormatError("no puzzles in the inputs", { file: options.inputs.join(", "), expected: "at least one puzzle line" });
  return reader.shape;
}

function generateSplits(options: SudokuBuildOptions, warnings: string[], onProgress?: (done: number) => void): Splits {
  const g = options.generate!;
  const shape = g.boxRows !== undefined && g.boxCols !== undefined ? sudokuShape(g.boxRows, g.boxCols) : shapeForSize(g.size);
  const testCount = g.testCount ?? Math.min(g.count, 1000);
  const solver = new SudokuSolver(shape);
  const trainIndex = new SymmetryIndex(shape, solver);
  const testIndex = new SymmetryIndex(shape, solver);
  let missed = 0;
  const draw = (rng: Rng, want: number, accept: (p: SudokuPair) => boolean, into: SudokuPair[], what: string) => {
    let failures = 0;
    while (into.length < want) {
      const p = generatePuzzle(shape, rng, { givens: g.givens, solver });
      if (g.givens !== undefined && p.givens > g.givens) missed++;
      const pair = { question: p.question, answer: p.answer };
      if (accept(pair)) {
        into.push(pair);
        failures = 0;
        const done = (what === "test" ? g.count : 0) + into.length;
        if (onProgress && done % 500 === 0) onProgress(done);
      } else if (++failures > 2000) {
        throw new ConfigError(
          `found only ${into.length} distinct ${shape.label} ${what} puzzles${g.givens !== undefined ? ` with ${g.givens} givens` : ""} up to symmetry after 2000 tries in a row`,
          { field: what === "test" ? "generate.testCount" : "generate.count", expected: "fewer puzzles, or a givens count with more distinct puzzles" },
        );
      }
    }
  };
  const train: SudokuPair[] = [];
  draw(new Rng(streamSeed(options.seed, "train")), g.count, (p) => trainIndex.add(p.question, p.answer), train, "training");
  const test: SudokuPair[] = [];
  let leaked = 0;
  draw(
    new Rng(streamSeed(options.seed, "test")),
    testCount,
    (p) => {
      if (trainIndex.has(p.question, p.answer)) {
        leaked++;
        return false;
      }
      return testIndex.add(p.question, p.answer);
    },
    test,
    "test",
  );
  if (missed > 0) warnings.push(`${missed} generated puzzles kept more than ${g.givens} givens (no unique puzzle with fewer was found in 20 tries)`);
  return { shape, train, test, solved: 0, leaks: { checked: true, found: leaked, dropped: leaked }, mode: "generate" };
}

/** Streams one split: every pair is a group of the original and `augmentations` transformed copies, one puzzle each. */
async function writeSplit(
  root: string,
  split: "train" | "test",
  pairs: SudokuPair[],
  shape: SudokuShape,
  augmentations: number,
  rng: Rng,
  info: SudokuDatasetInfo,
  progress: (groups: number) => void,
): Promise<{ examples: number; puzzles: number; groups: number }> {
  const cells = shape.cells;
  const writer = PuzzleDatasetWriter.open(root, split, { seqLen: cells, vocabSize: sudokuVocabSize(shape), inputDtype: "uint8" });
  const inputs = new Uint8Array(cells);
  const labels = new Uint8Array(cells);
  const src = new Int32Array(cells);
  const sampler = new TransformSampler(shape);
  try {
    for (let g = 0; g < pairs.length; g++) {
      const { question, answer } = pairs[g];
      for (let i = 0; i < cells; i++) {
        inputs[i] = question[i] + 1;
        labels[i] = answer[i] + 1;
      }
      writer.addPuzzle(inputs, labels, 0);
      for (let m = 0; m < augmentations; m++) {
        const t = sampler.sample(rng);
        transformSourceCells(t, shape, src);
        const dm = t.digitMap;
        for (let i = 0; i < cells; i++) {
          inputs[i] = dm[question[src[i]]] + 1;
          labels[i] = dm[answer[src[i]]] + 1;
        }
        writer.addPuzzle(inputs, labels, 0);
      }
      writer.endGroup();
      if ((g + 1) % 100 === 0 || g + 1 === pairs.length) progress(g + 1);
    }
    // The reference Sudoku builder writes mean_puzzle_examples 1 and total_puzzles = total_groups.
    await writer.close({
      padId: 0,
      ignoreLabelId: 0,
      blankIdentifierId: 0,
      numPuzzleIdentifiers: 1,
      meanPuzzleExamples: 1,
      totalPuzzles: pairs.length,
      recurse: info,
    });
  } catch (e) {
    writer.abort();
    throw e;
  }
  return writer.counts;
}

/**
 * Build a reference-format Sudoku dataset (`<out>/train/`, `<out>/test/`, `<out>/identifiers.json`):
 * - from files: a seeded subsample of `trainSize` training puzzles, each written with `augmentations` transformed
 *   copies (group = the original; every copy its own puzzle with identifier 0, as the reference), and the test split
 *   untouched (a `test.*` file, or a held-out part of the inputs disjoint from training up to symmetry);
 * - with `testOnly`: the inputs as a test split only;
 * - with `generate`: `count` generated training puzzles (seed S) and `testCount` test puzzles (another stream of S),
 *   none equivalent under symmetry to a training puzzle or to each other.
 * Tokens: 0 pad, 1 blank, digit d → d + 1; labels are the solution + 1 on every cell (ignore id 0 never occurs).
 * The output is identical for identical options. The directory is written beside `out` and renamed into place.
 *
 * @example
 * ```ts
 * const report = await buildSudokuDataset({ inputs: ["train.csv", "test.csv"], trainSize: 1000, augmentations: 1000, seed: 0, out: "data/sudoku-1k" });
 * const gen = await buildSudokuDataset({ generate: { count: 16000, size: 6 }, augmentations: 100, seed: 1, out: "data/sudoku6" });
 * ```
 */
export async function buildSudokuDataset(
  input: SudokuBuildInput,
  hooks: { onProgress?: (done: number, total: number) => void } = {},
): Promise<SudokuBuildReport> {
  const start = performance.now();
  const options = parseSudokuBuildOptions(input);
  const warnings: string[] = [];
  // Generate mode reports generation, then writing, on one scale (count + testCount twice) so progress never runs back.
  const g = options.generate;
  const genTotal = g ? g.count + (g.testCount ?? Math.min(g.count, 1000)) : 0;
  const splits = g
    ? generateSplits(options, warnings, hooks.onProgress && ((done) => hooks.onProgress!(done, 2 * genTotal)))
    : await fileSplits(options, warnings);
  const prepared = performance.now();
  const { shape, train, test } = splits;
  const base: SudokuDatasetInfo = {
    dataset: "sudoku",
    boxRows: shape.boxRows,
    boxCols: shape.boxCols,
    mode: splits.mode,
    seed: options.seed,
    augmentations: options.augmentations,
    ...(options.generate ? { generate: options.generate } : { inputs: options.inputs }),
  };
  const totalGroups = (train?.length ?? 0) + test.length;
  const report = (done: number) => hooks.onProgress?.(genTotal + done, genTotal + totalGroups);
  const counts: SudokuBuildReport["splits"] = {};
  await writeDirectoryAtomic(options.out, async (tmp) => {
    const augRng = new Rng(streamSeed(options.seed, "augment"));
    if (train) {
      counts.train = await writeSplit(tmp, "train", train, shape, options.augmentations, augRng, { ...base, split: "train" }, report);
    }
    const offset = train?.length ?? 0;
    counts.test = await writeSplit(tmp, "test", test, shape, 0, augRng, { ...base, split: "test" }, (g) => report(offset + g));
    await writeIdentifiers(tmp, ["<blank>"]);
  });
  const end = performance.now();
  return {
    out: join(options.out),
    splits: counts,
    seconds: (end - start) / 1000,
    mode: splits.mode,
    shape: shape.label,
    boxRows: shape.boxRows,
    boxCols: shape.boxCols,
    trainPuzzles: train?.length ?? 0,
    augmentations: train ? options.augmentations : 0,
    testPuzzles: test.length,
    solved: splits.solved,
    leaks: splits.leaks,
    warnings,
    timings: { prepare: (prepared - start) / 1000, write: (end - prepared) / 1000 },
  };
}
