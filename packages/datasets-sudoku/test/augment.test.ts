import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng } from "@recurse/core";
import {
  applyTransform,
  countGivens,
  formatGrid,
  generatePuzzle,
  sampleTransform,
  shuffleSudoku,
  sudokuShape,
  SudokuSolver,
  transformSourceCells,
  type SudokuShape,
} from "@recurse/datasets-sudoku";
import { isValidSolution, keepsGivens } from "./helpers";

const SHAPES: Array<[number, number, number, number]> = [
  // boxRows, boxCols, givens target, runs
  [2, 2, 6, 3000],
  [2, 3, 12, 3000],
  [3, 2, 12, 2000],
  [3, 3, 28, 3000],
  [4, 4, 140, 500],
];

function pool(shape: SudokuShape, givens: number, n: number) {
  const rng = new Rng(shape.size * 7 + shape.boxRows);
  const solver = new SudokuSolver(shape);
  return Array.from({ length: n }, () => generatePuzzle(shape, rng, { givens, solver }));
}

describe.each(SHAPES)("augmentation of %ix%i boxes", (br, bc, givens, runs) => {
  const shape = sudokuShape(br, bc);
  const puzzles = pool(shape, givens, br * bc === 16 ? 4 : 16);
  const solver = new SudokuSolver(shape);

  it(`preserves validity, givens and uniqueness (${runs} random cases)`, () => {
    fc.assert(
      fc.property(fc.nat(puzzles.length - 1), fc.integer({ min: 0, max: 0xffffffff }), (k, seed) => {
        const p = puzzles[k];
        const { question, answer, transform } = shuffleSudoku(p.question, p.answer, shape, new Rng(seed));
        if (!isValidSolution(answer, shape)) return false;
        if (!keepsGivens(question, answer)) return false;
        if (countGivens(question) !== p.givens) return false;
        if (br !== bc && transform.transpose) return false;
        const res = solver.solve(question);
        return res.count === 1 && formatGrid(res.solution!) === formatGrid(answer);
      }),
      { numRuns: runs, seed: 42 },
    );
  });

  it("moves whole bands and stacks: a permutation of cells that keeps rows, columns and boxes together", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => {
        const t = sampleTransform(shape, new Rng(seed));
        const src = transformSourceCells(t, shape);
        if (new Set(src).size !== shape.cells) return false;
        // Rows inside one output band come from one source band (of the transposed grid when transposed).
        for (let b = 0; b < shape.bands; b++) {
          const bands = new Set<number>();
          for (let r = 0; r < br; r++) bands.add(Math.floor(t.rowPerm[b * br + r] / br));
          if (bands.size !== 1) return false;
        }
        for (let s = 0; s < shape.stacks; s++) {
          const stacks = new Set<number>();
          for (let c = 0; c < bc; c++) stacks.add(Math.floor(t.colPerm[s * bc + c] / bc));
          if (stacks.size !== 1) return false;
        }
        // Digits: blank fixed, 1..N permuted.
        return t.digitMap[0] === 0 && new Set(Array.from(t.digitMap.subarray(1))).size === shape.size && Math.min(...t.digitMap.subarray(1)) === 1;
      }),
      { numRuns: 1000, seed: 7 },
    );
  });
});

describe("reference semantics", () => {
  const s9 = sudokuShape(3, 3);
  const grid = Uint8Array.from({ length: 81 }, (_, i) => ((Math.floor(i / 9) * 3 + Math.floor(i / 27) + (i % 9)) % 9) + 1);
  const identity = Uint8Array.from({ length: 10 }, (_, i) => i);
  const ident9 = Int32Array.from({ length: 9 }, (_, i) => i);

  it("output row r, column c reads source (rowPerm[r], colPerm[c]) of the transposed-if-flagged grid, then maps digits", () => {
    const rowPerm = Int32Array.from([3, 4, 5, 0, 1, 2, 8, 7, 6]);
    const colPerm = Int32Array.from([2, 0, 1, 3, 4, 5, 6, 7, 8]);
    const digitMap = Uint8Array.from([0, 2, 3, 4, 5, 6, 7, 8, 9, 1]);
    const out = applyTransform(grid, { digitMap, transpose: false, rowPerm, colPerm }, s9);
    for (let r = 0; r < 9; r++) for (let c = 0; c < 9; c++) expect(out[r * 9 + c]).toBe(digitMap[grid[rowPerm[r] * 9 + colPerm[c]]]);
    const tr = applyTransform(grid, { digitMap: identity, transpose: true, rowPerm: ident9, colPerm: ident9 }, s9);
    for (let r = 0; r < 9; r++) for (let c = 0; c < 9; c++) expect(tr[r * 9 + c]).toBe(grid[c * 9 + r]);
  });

  it("draws transpose with p 0.5 for square boxes and never for 2x3", () => {
    const rng = new Rng(3);
    let t = 0;
    for (let i = 0; i < 4000; i++) if (sampleTransform(s9, rng).transpose) t++;
    expect(t / 4000).toBeGreaterThan(0.46);
    expect(t / 4000).toBeLessThan(0.54);
    const s6 = sudokuShape(2, 3);
    for (let i = 0; i < 500; i++) expect(sampleTransform(s6, rng).transpose).toBe(false);
  });

  it("reaches every band order and every in-band row order (9x9)", () => {
    const rng = new Rng(4);
    const orders = new Set<string>();
    for (let i = 0; i < 20000; i++) orders.add(Array.from(sampleTransform(s9, rng).rowPerm).join(""));
    expect(orders.size).toBe(6 * 6 * 6 * 6); // 3! band orders × 3!³ row orders
  });

  it("is reproducible from the seed", () => {
    const a = sampleTransform(s9, new Rng(99));
    const b = sampleTransform(s9, new Rng(99));
    expect(b).toEqual(a);
  });
});
