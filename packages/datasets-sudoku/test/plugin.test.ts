import { describe, expect, it } from "vitest";
import { createRegistry, DataFormatError, type PuzzleDatasetMetadata } from "@recurse/core";
import { encodeCells, parseGrid, renderGrid, shapeForSize, sudoku, sudokuDataset, parseSudokuPuzzle, isSudokuDataset } from "@recurse/datasets-sudoku";

function meta(seqLen: number, vocabSize: number, recurse?: PuzzleDatasetMetadata["recurse"]): PuzzleDatasetMetadata {
  return { padId: 0, ignoreLabelId: 0, blankIdentifierId: 0, vocabSize, seqLen, numPuzzleIdentifiers: 1, totalGroups: 1, meanPuzzleExamples: 1, sets: ["all"], recurse };
}

describe("sudoku plugin", () => {
  it("registers the sudoku dataset kind", () => {
    expect(sudoku.name).toBe("@recurse/datasets-sudoku");
    const registry = createRegistry().use(sudoku);
    expect(registry.datasets.get("sudoku")).toBe(sudokuDataset);
  });

  it("validates build options with defaults", () => {
    const o = sudokuDataset.buildSchema.parse({ inputs: ["train.csv"], out: "d" });
    expect(o).toMatchObject({ augmentations: 0, testOnly: false, seed: 42, leaks: "keep", verifyUnique: false });
    expect(sudokuDataset.buildSchema.safeParse({ inputs: ["a"], out: "d", trainsize: 3 }).success).toBe(false);
    expect(sudokuDataset.buildSchema.safeParse({ generate: { count: 10, size: 17 }, out: "d" }).success).toBe(false);
    expect(sudokuDataset.buildSchema.safeParse({ generate: { count: 10, size: 6, givens: 40 }, out: "d" }).success).toBe(false);
  });

  it("detects reference-built and own datasets, not ARC or mazes", () => {
    expect(isSudokuDataset(meta(81, 11))).toBe(true);
    expect(isSudokuDataset(meta(36, 8, { dataset: "sudoku", boxRows: 2, boxCols: 3 }))).toBe(true);
    expect(sudokuDataset.detect(meta(900, 12))).toBe(false);
    expect(sudokuDataset.detect(meta(900, 6))).toBe(false);
    expect(sudokuDataset.detect(meta(81, 11, { dataset: "arc" }))).toBe(false);
  });

  it("renders tokens as a grid with box separators", () => {
    const { grid } = parseGrid("1.3.5." + ".5.1.3" + "2.1.6." + ".6.2.1" + "3.2.4." + ".4.3.2");
    const text = sudokuDataset.render(encodeCells(grid), meta(36, 8, { dataset: "sudoku", boxRows: 2, boxCols: 3 }));
    expect(text).toBe(["1 . 3 | . 5 .", ". 5 . | 1 . 3", "------+------", "2 . 1 | . 6 .", ". 6 . | 2 . 1", "------+------", "3 . 2 | . 4 .", ". 4 . | 3 . 2"].join("\n"));
    const coloured = renderGrid(grid, shapeForSize(6), { color: true, givens: grid });
    expect(coloured).toContain("\x1b[1m1\x1b[0m");
    expect(coloured).toContain("\x1b[2m.\x1b[0m");
  });

  it("parses a typed or pasted puzzle back to the same tokens", () => {
    const m = meta(81, 11);
    const line = "4...3.......6..8..........1....5..9..8....6...7.2........1.27..5.3....4.9........";
    const tokens = sudokuDataset.parsePuzzle!(line, m);
    expect(tokens).toBeInstanceOf(Int32Array);
    expect(tokens[0]).toBe(5);
    expect(tokens[1]).toBe(1);
    const rendered = sudokuDataset.render(tokens, m);
    expect(Array.from(parseSudokuPuzzle(rendered, m))).toEqual(Array.from(tokens));
    expect(Array.from(parseSudokuPuzzle(line.replace(/\./g, "0"), m))).toEqual(Array.from(tokens));
  });

  it("rejects a typed puzzle of the wrong size or with a contradiction", () => {
    const m = meta(16, 6);
    expect(() => parseSudokuPuzzle("1..2", m)).toThrow(/typed puzzle has 4 cells \(expected 16 cells for a 4x4/);
    expect(() => parseSudokuPuzzle("11..............", m)).toThrow(DataFormatError);
    expect(() => parseSudokuPuzzle("11..............", m)).toThrow(/digit 1 appears twice in row 1, at r1c1 and r1c2/);
  });
});
