import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, DataFormatError, readIdentifiers, readNpy, writePuzzleDataset } from "@recurse/core";
import {
  buildSudokuDataset,
  canonicalKey,
  decodeTokens,
  encodeCells,
  formatGrid,
  sudokuDataset,
  isTestFile,
  loadSudokuDataset,
  readSudokuFile,
  SudokuSolver,
  type SudokuShape,
} from "@recurse/datasets-sudoku";
import { fixture, isValidSolution, keepsGivens } from "./helpers";

const tmp = mkdtempSync(join(tmpdir(), "sudoku-build-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const TRAIN_CSV = fixture("derived/tdoku_puzzles3_magictour_top1465.head51.csv");
const TEST_CSV = join(tmp, "test.csv");
copyFileSync(fixture("derived/tdoku_puzzles5_forum_hardest_1905_11plus.head51.csv"), TEST_CSV);
const BANK = fixture("tdoku/puzzles3_magictour_top1465.lines1-52+302+309.txt");

function hashDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else out[rel + e.name] = createHash("sha256").update(readFileSync(join(d, e.name))).digest("hex");
    }
  };
  walk(dir, "");
  return out;
}

/** Rows of a split as (question, answer) cell grids. */
function rows(split: { inputs: Int32Array; labels: Int32Array }, shape: SudokuShape) {
  const n = split.inputs.length / shape.cells;
  return Array.from({ length: n }, (_, i) => ({
    question: decodeTokens(split.inputs.subarray(i * shape.cells, (i + 1) * shape.cells), shape),
    answer: decodeTokens(split.labels.subarray(i * shape.cells, (i + 1) * shape.cells), shape),
    labels: split.labels.subarray(i * shape.cells, (i + 1) * shape.cells),
  }));
}

describe("file roles", () => {
  it("recognises test files by name", () => {
    expect(isTestFile("data/test.csv")).toBe(true);
    expect(isTestFile("sudoku_test.txt")).toBe(true);
    expect(isTestFile("x/extreme-test.csv")).toBe(true);
    expect(isTestFile("train.csv")).toBe(false);
    expect(isTestFile("contest.csv")).toBe(false);
  });
});

describe("buildSudokuDataset from train and test files", () => {
  const out = join(tmp, "files");
  const options = { inputs: [TRAIN_CSV, TEST_CSV], trainSize: 20, augmentations: 5, seed: 3, out };

  it("writes the reference layout, metadata and groups", async () => {
    const report = await buildSudokuDataset(options);
    expect(report.splits.train).toEqual({ examples: 120, puzzles: 120, groups: 20 });
    expect(report.splits.test).toEqual({ examples: 50, puzzles: 50, groups: 50 });
    expect(report.mode).toBe("files");
    expect(report.leaks.checked).toBe(false);
    expect(await readIdentifiers(out)).toEqual(["<blank>"]);
    const { shape, train, test } = await loadSudokuDataset(out);
    expect(shape.label).toBe("9x9 (3x3 boxes)");
    const m = train!.metadata;
    expect(m).toMatchObject({
      padId: 0,
      ignoreLabelId: 0,
      blankIdentifierId: 0,
      vocabSize: 11,
      seqLen: 81,
      numPuzzleIdentifiers: 1,
      totalGroups: 20,
      meanPuzzleExamples: 1,
      totalPuzzles: 20,
      sets: ["all"],
    });
    expect(m.recurse).toMatchObject({ dataset: "sudoku", boxRows: 3, boxCols: 3, split: "train", augmentations: 5, seed: 3 });
    expect(test!.metadata.totalGroups).toBe(50);
    expect(Array.from(train!.puzzleIdentifiers).every((v) => v === 0)).toBe(true);
    expect(Array.from(train!.puzzleIndices)).toEqual(Array.from({ length: 121 }, (_, i) => i));
    expect(Array.from(train!.groupIndices)).toEqual(Array.from({ length: 21 }, (_, i) => i * 6));
    // The reference stores uint8 tokens.
    expect((await readNpy(join(out, "train", "all__inputs.npy"))).dtype).toBe("uint8");
  });

  it("train groups are an original CSV row followed by valid transformed copies of it", async () => {
    const { shape, train } = await loadSudokuDataset(out);
    const source = await readSudokuFile(TRAIN_CSV);
    const byQuestion = new Map(source.map((r) => [formatGrid(r.question), r]));
    const examples = rows(train!, shape);
    const solver = new SudokuSolver(shape);
    const originals = new Set<string>();
    for (let g = 0; g < 20; g++) {
      const group = examples.slice(g * 6, g * 6 + 6);
      const original = byQuestion.get(formatGrid(group[0].question));
      expect(original).toBeDefined();
      originals.add(formatGrid(group[0].question));
      expect(formatGrid(group[0].answer)).toBe(formatGrid(original!.answer!));
      const key = canonicalKey(original!.question, shape, original!.answer);
      for (const ex of group) {
        // Every cell is supervised: labels are digits + 1, never the ignore id 0 nor the blank 1.
        expect(Array.from(ex.labels).every((t) => t >= 2 && t <= 10)).toBe(true);
        expect(isValidSolution(ex.answer, shape)).toBe(true);
        expect(keepsGivens(ex.question, ex.answer)).toBe(true);
        expect(solver.solve(ex.question).solution).toEqual(ex.answer);
        expect(canonicalKey(ex.question, shape, ex.answer)).toBe(key);
      }
      expect(new Set(group.map((e) => formatGrid(e.question))).size).toBe(6);
    }
    expect(originals.size).toBe(20);
  });

  it("keeps the test file untouched and in order", async () => {
    const { shape, test } = await loadSudokuDataset(out);
    const source = await readSudokuFile(TEST_CSV);
    const examples = rows(test!, shape);
    expect(examples.map((e) => formatGrid(e.question))).toEqual(source.map((r) => formatGrid(r.question)));
    expect(examples.map((e) => formatGrid(e.answer))).toEqual(source.map((r) => formatGrid(r.answer!)));
  });

  it("is byte-identical for the same seed and differs for another", async () => {
    const again = join(tmp, "files-again");
    await buildSudokuDataset({ ...options, out: again });
    expect(hashDir(again)).toEqual(hashDir(out));
    const other = join(tmp, "files-other");
    await buildSudokuDataset({ ...options, seed: 4, out: other });
    const h = hashDir(other);
    expect(h["train/all__inputs.npy"]).not.toBe(hashDir(out)["train/all__inputs.npy"]);
    expect(h["test/all__inputs.npy"]).toBe(hashDir(out)["test/all__inputs.npy"]);
  });
});

describe("symmetry leaks between train and test files", () => {
  const lines = readFileSync(BANK, "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
  const trainFile = join(tmp, "leak-train.txt");
  const testFile = join(tmp, "leak_test.txt");
  writeFileSync(trainFile, [...lines.slice(0, 10), lines[50]].join("\n") + "\n");
  writeFileSync(testFile, [lines[51], lines[20], lines[21]].join("\n") + "\n");
  const base = { inputs: [trainFile, testFile], seed: 1 };

  it("keeps them by default (the reference trusts its split)", async () => {
    const r = await buildSudokuDataset({ ...base, out: join(tmp, "leak-keep") });
    expect(r.testPuzzles).toBe(3);
    expect(r.solved).toBe(14);
    expect(r.leaks).toEqual({ checked: false, found: 0, dropped: 0 });
  });

  it("drops them on request", async () => {
    const r = await buildSudokuDataset({ ...base, leaks: "drop", out: join(tmp, "leak-drop") });
    expect(r.testPuzzles).toBe(2);
    expect(r.leaks).toEqual({ checked: true, found: 1, dropped: 1 });
  });

  it("fails on request, naming the test file", async () => {
    const p = buildSudokuDataset({ ...base, leaks: "error", out: join(tmp, "leak-error") });
    await expect(p).rejects.toThrow(DataFormatError);
    await expect(buildSudokuDataset({ ...base, leaks: "error", out: join(tmp, "leak-error") })).rejects.toThrow(/leak_test\.txt: 1 test puzzles are equivalent under symmetry/);
    expect(existsSync(join(tmp, "leak-error"))).toBe(false);
  });
});

describe("held-out split from one bank", () => {
  it("holds out test puzzles none of which is equivalent to a training puzzle", async () => {
    const out = join(tmp, "held");
    const r = await buildSudokuDataset({ inputs: [BANK], trainSize: 38, testSize: 12, augmentations: 1, seed: 0, out });
    expect(r.trainPuzzles).toBe(38);
    expect(r.testPuzzles + r.leaks.dropped).toBeLessThanOrEqual(14);
    expect(r.testPuzzles).toBe(12);
    const { shape, train, test } = await loadSudokuDataset(out);
    const trainKeys = new Set(rows(train!, shape).map((e) => canonicalKey(e.question, shape, e.answer)));
    for (const e of rows(test!, shape)) expect(trainKeys.has(canonicalKey(e.question, shape, e.answer))).toBe(false);
  });

  it("drops the equivalent pair's second member when the first is in training", async () => {
    // All 52 puzzles: the test split gets every puzzle not used for training, minus equivalents of training ones.
    const r = await buildSudokuDataset({ inputs: [BANK], trainSize: 26, testSize: 26, seed: 7, out: join(tmp, "held-all") });
    expect(r.trainPuzzles + r.testPuzzles + r.leaks.dropped).toBe(52);
  });
});

describe("testOnly", () => {
  it("writes only a test split, solving the missing answers", async () => {
    const out = join(tmp, "test-only");
    const r = await buildSudokuDataset({ inputs: [BANK], testOnly: true, out });
    expect(r.mode).toBe("test-only");
    expect(r.solved).toBe(52);
    expect(existsSync(join(out, "train"))).toBe(false);
    const { shape, train, test } = await loadSudokuDataset(out);
    expect(train).toBeUndefined();
    for (const e of rows(test!, shape)) expect(isValidSolution(e.answer, shape)).toBe(true);
  });
});

describe("generate", () => {
  it("builds 6x6 train and test from different streams, test disjoint from train up to symmetry", async () => {
    const out = join(tmp, "gen6");
    const calls: Array<[number, number]> = [];
    const r = await buildSudokuDataset(
      { generate: { count: 300, size: 6, testCount: 60 }, augmentations: 2, seed: 5, out },
      { onProgress: (done, total) => calls.push([done, total]) },
    );
    // One scale for generating and writing: never runs back, ends at its total.
    expect(calls.length).toBeGreaterThan(2);
    for (let i = 1; i < calls.length; i++) expect(calls[i][0]).toBeGreaterThanOrEqual(calls[i - 1][0]);
    expect(new Set(calls.map((c) => c[1]))).toEqual(new Set([720]));
    expect(calls[calls.length - 1][0]).toBe(720);
    expect(r.mode).toBe("generate");
    expect(r.shape).toBe("6x6 (2x3 boxes)");
    expect(r.splits.train).toEqual({ examples: 900, puzzles: 900, groups: 300 });
    const { shape, train, test } = await loadSudokuDataset(out);
    expect(train!.metadata).toMatchObject({ seqLen: 36, vocabSize: 8, recurse: { dataset: "sudoku", boxRows: 2, boxCols: 3, mode: "generate" } });
    const trainRows = rows(train!, shape);
    const trainKeys = new Set(trainRows.map((e) => canonicalKey(e.question, shape, e.answer)));
    expect(trainKeys.size).toBe(300); // originals distinct up to symmetry; copies share their original's key
    const testKeys = rows(test!, shape).map((e) => canonicalKey(e.question, shape, e.answer));
    expect(new Set(testKeys).size).toBe(60);
    for (const k of testKeys) expect(trainKeys.has(k)).toBe(false);
    const solver = new SudokuSolver(shape);
    for (const e of trainRows) expect(solver.solve(e.question).count).toBe(1);
    // Minimal puzzles: about 10 givens.
    const givens = trainRows.filter((_, i) => i % 3 === 0).map((e) => e.question.filter((d) => d !== 0).length);
    const mean = givens.reduce((a, b) => a + b, 0) / givens.length;
    expect(mean).toBeGreaterThan(8.5);
    expect(mean).toBeLessThan(11.5);
    const again = join(tmp, "gen6-again");
    await buildSudokuDataset({ generate: { count: 300, size: 6, testCount: 60 }, augmentations: 2, seed: 5, out: again });
    expect(hashDir(again)).toEqual(hashDir(out));
  });

  it("builds 4x4 and 16x16 with a givens target", async () => {
    const r4 = await buildSudokuDataset({ generate: { count: 10, size: 4, givens: 6, testCount: 3 }, seed: 1, out: join(tmp, "gen4") });
    expect(r4.splits.train!.examples).toBe(10);
    const r16 = await buildSudokuDataset({ generate: { count: 2, size: 16, givens: 150, testCount: 1 }, seed: 1, out: join(tmp, "gen16") });
    const { shape, train } = await loadSudokuDataset(join(tmp, "gen16"));
    expect(r16.shape).toBe("16x16 (4x4 boxes)");
    expect(train!.metadata.vocabSize).toBe(18);
    for (const e of rows(train!, shape)) expect(e.question.filter((d) => d !== 0)).toHaveLength(150);
  });

  it("says so when a shape has too few distinct puzzles", async () => {
    await expect(buildSudokuDataset({ generate: { count: 500, size: 4 }, seed: 1, out: join(tmp, "gen4-many") })).rejects.toThrow(
      /found only \d+ distinct 4x4 \(2x2 boxes\) training puzzles up to symmetry/,
    );
  });
});

describe("option and input errors", () => {
  it("rejects inconsistent options with ConfigError", async () => {
    await expect(buildSudokuDataset({ out: join(tmp, "x") })).rejects.toThrow(ConfigError);
    await expect(buildSudokuDataset({ out: join(tmp, "x") })).rejects.toThrow(/inputs: give at least one puzzle file/);
    await expect(buildSudokuDataset({ inputs: [BANK], generate: { count: 1, size: 6 }, out: join(tmp, "x") })).rejects.toThrow(/use either inputs or generate/);
    await expect(buildSudokuDataset({ generate: { count: 1, size: 6, boxRows: 3, boxCols: 3 }, out: join(tmp, "x") })).rejects.toThrow(/multiply to size 6/);
    await expect(buildSudokuDataset({ inputs: [BANK], trainSize: 50, testSize: 10, out: join(tmp, "x") })).rejects.toThrow(/trainSize 50 \+ testSize 10 exceed the 52 puzzles/);
  });

  it("names an input without puzzles, and says when every input is a test file", async () => {
    const empty = join(tmp, "empty.txt");
    writeFileSync(empty, "# nothing here\n\n");
    await expect(buildSudokuDataset({ inputs: [empty], out: join(tmp, "e") })).rejects.toThrow(/empty\.txt: no puzzles in the training files/);
    await expect(buildSudokuDataset({ inputs: [TEST_CSV], out: join(tmp, "e") })).rejects.toThrow(/no training puzzles: every input is a test file/);
  });

  it("names the file and line of a puzzle without a unique solution", async () => {
    const bad = join(tmp, "ambiguous.txt");
    writeFileSync(bad, "# two solutions below\n" + ".".repeat(80) + "1\n");
    await expect(buildSudokuDataset({ inputs: [bad], testOnly: true, out: join(tmp, "amb") })).rejects.toThrow(/ambiguous\.txt: line 2: puzzle .* has more than one solution/);
  });
});

describe("reading a reference-built dataset", () => {
  it("infers 9x9 from seq_len 81 and vocab 11 when dataset.json has no recurse block", async () => {
    const out = join(tmp, "reference-like");
    const records = await readSudokuFile(TRAIN_CSV);
    const pick = records.slice(0, 3);
    const inputs = new Int32Array(3 * 81);
    const labels = new Int32Array(3 * 81);
    pick.forEach((r, i) => {
      inputs.set(encodeCells(r.question), i * 81);
      labels.set(encodeCells(r.answer!), i * 81);
    });
    const metadata = { padId: 0, ignoreLabelId: 0, blankIdentifierId: 0, vocabSize: 11, seqLen: 81, numPuzzleIdentifiers: 1, totalGroups: 3, meanPuzzleExamples: 1, totalPuzzles: 3, sets: ["all"] };
    await writePuzzleDataset(out, "test", {
      metadata,
      inputs,
      labels,
      puzzleIdentifiers: new Int32Array(3),
      puzzleIndices: Int32Array.from([0, 1, 2, 3]),
      groupIndices: Int32Array.from([0, 1, 2, 3]),
    }, { identifiers: ["<blank>"], inputDtype: "uint8" });
    const { shape, train, test } = await loadSudokuDataset(out);
    expect(shape.label).toBe("9x9 (3x3 boxes)");
    expect(train).toBeUndefined();
    expect(sudokuDataset.detect(test!.metadata)).toBe(true);
    expect(formatGrid(rows(test!, shape)[2].question)).toBe(formatGrid(pick[2].question));
    expect(sudokuDataset.render(test!.inputs.subarray(0, 81), test!.metadata).split("\n")).toHaveLength(11);
  });
});
