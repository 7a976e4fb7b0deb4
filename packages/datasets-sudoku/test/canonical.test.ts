import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataFormatError, Rng } from "@recurse/core";
import {
  canonicalForm,
  canonicalKey,
  formatGrid,
  generatePuzzle,
  parseGrid,
  readSudokuFile,
  shuffleSudoku,
  sudokuShape,
  SudokuSolver,
  SymmetryIndex,
  symmetryFingerprint,
  type SudokuShape,
} from "@recurse/datasets-sudoku";
import { fixture } from "./helpers";

/** All structured row (or column) orders: band order × in-band orders. */
function lineOrders(groups: number, per: number): number[][] {
  const perms = (k: number): number[][] => (k === 0 ? [[]] : perms(k - 1).flatMap((p) => Array.from({ length: k }, (_, i) => [...p.slice(0, i), k - 1, ...p.slice(i)])));
  let out: number[][] = [[]];
  for (let g = 0; g < groups; g++) {
    out = out.flatMap((prefix) => perms(per).map((inner) => [...prefix, ...inner]));
  }
  // inner blocks placed in order of bands; now permute bands
  const bandOrders = perms(groups);
  const result: number[][] = [];
  for (const inner of out) for (const bands of bandOrders) result.push(bands.flatMap((b, i) => inner.slice(i * per, (i + 1) * per).map((x) => b * per + x)));
  return result;
}

/** Independent check: some transform of the group maps a onto b with a consistent digit bijection. */
function bruteEquivalent(a: Uint8Array, b: Uint8Array, shape: SudokuShape): boolean {
  const n = shape.size;
  const rows = lineOrders(shape.bands, shape.boxRows);
  const cols = lineOrders(shape.stacks, shape.boxCols);
  for (const transpose of shape.boxRows === shape.boxCols ? [false, true] : [false]) {
    for (const R of rows) {
      for (const C of cols) {
        const fwd = new Int32Array(n + 1).fill(-1);
        const back = new Int32Array(n + 1).fill(-1);
        fwd[0] = 0;
        back[0] = 0;
        let ok = true;
        for (let r = 0; r < n && ok; r++) {
          for (let c = 0; c < n; c++) {
            const x = transpose ? a[C[c] * n + R[r]] : a[R[r] * n + C[c]];
            const y = b[r * n + c];
            if ((x === 0) !== (y === 0)) { ok = false; break; }
            if (fwd[x] === -1 && back[y] === -1) { fwd[x] = y; back[y] = x; }
            else if (fwd[x] !== y || back[y] !== x) { ok = false; break; }
          }
        }
        if (ok) return true;
      }
    }
  }
  return false;
}

function puzzles(shape: SudokuShape, n: number, seed: number, givens?: number) {
  const rng = new Rng(seed);
  const solver = new SudokuSolver(shape);
  return Array.from({ length: n }, () => generatePuzzle(shape, rng, { givens, solver }));
}

describe("canonicalKey", () => {
  it.each([
    [2, 2, 1000],
    [2, 3, 1000],
    [3, 2, 500],
    [3, 3, 500],
    [4, 4, 40],
  ])("is invariant under random transforms (%ix%i boxes, %i cases)", (br, bc, runs) => {
    const shape = sudokuShape(br, bc);
    const pool = puzzles(shape, br * bc === 16 ? 3 : 12, br * 31 + bc, br * bc === 16 ? 140 : undefined);
    const keys = pool.map((p) => canonicalKey(p.question, shape, p.answer));
    fc.assert(
      fc.property(fc.nat(pool.length - 1), fc.integer({ min: 0, max: 0xffffffff }), (k, seed) => {
        const s = shuffleSudoku(pool[k].question, pool[k].answer, shape, new Rng(seed));
        return canonicalKey(s.question, shape, s.answer) === keys[k] && canonicalKey(s.question, shape) === keys[k];
      }),
      { numRuns: runs, seed: 1 },
    );
  });

  it.each([
    [2, 2, 300],
    [2, 3, 120],
  ])("is equal exactly when a brute-force search finds a transform (%ix%i boxes, %i pairs)", (br, bc, pairs) => {
    const shape = sudokuShape(br, bc);
    const pool = puzzles(shape, 40, 5 + br + bc);
    // Add transformed copies so that both outcomes occur often.
    const rng = new Rng(17);
    for (let i = 0; i < 20; i++) {
      const s = shuffleSudoku(pool[i].question, pool[i].answer, shape, rng);
      pool.push({ ...pool[i], question: s.question, answer: s.answer });
    }
    const keys = pool.map((p) => canonicalKey(p.question, shape, p.answer));
    let same = 0;
    for (let k = 0; k < pairs; k++) {
      const i = rng.int(0, pool.length);
      const j = k % 3 === 0 ? (i + 40) % pool.length : rng.int(0, pool.length);
      const equal = keys[i] === keys[j];
      expect(equal).toBe(bruteEquivalent(pool[i].question, pool[j].question, shape));
      if (equal) same++;
    }
    expect(same).toBeGreaterThan(10);
    expect(same).toBeLessThan(pairs);
  });

  it("gives a member of the class whose solution is the canonical solution", () => {
    const shape = sudokuShape(2, 3);
    for (const p of puzzles(shape, 20, 77)) {
      const form = canonicalForm(p.question, p.answer, shape);
      expect(bruteEquivalent(p.question, form.puzzle, shape)).toBe(true);
      expect(new SudokuSolver(shape).solve(form.puzzle).solution).toEqual(form.solution);
      // Box-major minimal: the top-left box reads 1..N.
      expect(Array.from(shape.units.subarray(2 * shape.size * shape.size, 2 * shape.size * shape.size + shape.size), (c) => form.solution[c])).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });

  it("finds the two equivalent magictour puzzles (lines 302 and 309 of the file) and no other pair in the slice", async () => {
    const records = await readSudokuFile(fixture("tdoku/puzzles3_magictour_top1465.lines1-52+302+309.txt"));
    const shape = records[0].shape;
    const keys = records.map((r) => canonicalKey(r.question, shape));
    expect(new Set(keys).size).toBe(records.length - 1);
    expect(keys[50]).toBe(keys[51]);
    expect(formatGrid(records[50].question)).not.toBe(formatGrid(records[51].question));
    expect(keys[50].startsWith("3x3:")).toBe(true);
  });

  it("needs a unique solution", () => {
    const shape = sudokuShape(3, 3);
    const { grid } = parseGrid("4...3.......6..8..........1....5..9..8....6...7.2........1.27..5.3....4.9........");
    grid[0] = 0;
    expect(() => canonicalKey(grid, shape)).toThrow(DataFormatError);
    expect(() => canonicalKey(grid, shape)).toThrow(/has several solutions/);
  });
});

describe("SymmetryIndex and fingerprints", () => {
  it("fingerprints are invariant under transforms", () => {
    for (const [br, bc] of [[2, 3], [3, 3], [4, 4]] as const) {
      const shape = sudokuShape(br, bc);
      const [p] = puzzles(shape, 1, 3, br * bc === 16 ? 150 : undefined);
      const fp = symmetryFingerprint(p.question, shape);
      const rng = new Rng(8);
      for (let i = 0; i < 200; i++) expect(symmetryFingerprint(shuffleSudoku(p.question, p.answer, shape, rng).question, shape)).toBe(fp);
    }
  });

  it("tells equivalent puzzles apart from others and adds each class once", () => {
    const shape = sudokuShape(3, 3);
    const pool = puzzles(shape, 30, 12, 26);
    const index = new SymmetryIndex(shape);
    for (const p of pool.slice(0, 20)) expect(index.add(p.question, p.answer)).toBe(true);
    expect(index.size).toBe(20);
    const rng = new Rng(2);
    for (const p of pool.slice(0, 20)) {
      const s = shuffleSudoku(p.question, p.answer, shape, rng);
      expect(index.has(s.question, s.answer)).toBe(true);
      expect(index.add(s.question, s.answer)).toBe(false);
    }
    for (const p of pool.slice(20)) expect(index.has(p.question, p.answer)).toBe(false);
    expect(index.size).toBe(20);
  });
});
