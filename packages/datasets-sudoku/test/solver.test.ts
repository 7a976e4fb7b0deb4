import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { Rng } from "@recurse/core";
import { formatGrid, parseGrid, readSudokuFile, shapeForSize, sudokuShape, SudokuSolver, randomSolutionGrid } from "@recurse/datasets-sudoku";
import { fixture, hasShared, isValidSolution, keepsGivens, SHARED_SUDOKU } from "./helpers";

describe("SudokuSolver on real puzzles", () => {
  it.each([
    "derived/tdoku_puzzles3_magictour_top1465.head51.csv",
    "derived/tdoku_puzzles5_forum_hardest_1905_11plus.head51.csv",
  ])("solves %s uniquely to the published answers, with guess counts equal to the rating column", async (path) => {
    const records = await readSudokuFile(fixture(path));
    const solver = new SudokuSolver(records[0].shape);
    for (const r of records) {
      const res = solver.solve(r.question);
      expect(res.count).toBe(1);
      expect(formatGrid(res.solution!)).toBe(formatGrid(r.answer!));
      // The shared folder's rating is the guess count of a singles + MRV solver's full uniqueness search; ours is
      // that same search, so the counts agree puzzle by puzzle.
      expect(res.guesses).toBe(r.rating);
    }
  });

  it("solves the 17-clue and sudoku-exchange slices to valid solutions keeping the givens", async () => {
    for (const path of ["tdoku/puzzles2_17_clue.head54.txt", "sudoku-exchange/diabolical.head50.txt"]) {
      const records = await readSudokuFile(fixture(path));
      const solver = new SudokuSolver(records[0].shape);
      for (const r of records) {
        const res = solver.solve(r.question);
        expect(res.count).toBe(1);
        expect(isValidSolution(res.solution!, r.shape)).toBe(true);
        expect(keepsGivens(r.question, res.solution!)).toBe(true);
      }
    }
  });

  it.skipIf(!hasShared)("matches every answer and rating of the shared magictour CSV (1465 puzzles)", async () => {
    const records = await readSudokuFile(resolve(SHARED_SUDOKU, "derived/tdoku_puzzles3_magictour_top1465.csv"));
    expect(records).toHaveLength(1465);
    const solver = new SudokuSolver(records[0].shape);
    let mismatches = 0;
    for (const r of records) {
      const res = solver.solve(r.question);
      if (res.count !== 1 || formatGrid(res.solution!) !== formatGrid(r.answer!) || res.guesses !== r.rating) mismatches++;
    }
    expect(mismatches).toBe(0);
  });
});

describe("SudokuSolver counting", () => {
  const s9 = shapeForSize(9);
  const solver = new SudokuSolver(s9);
  const puzzle = "4...3.......6..8..........1....5..9..8....6...7.2........1.27..5.3....4.9........";

  it("reports two or more solutions when a needed given is removed", () => {
    const { grid } = parseGrid(puzzle);
    expect(solver.solve(grid).count).toBe(1);
    grid[0] = 0;
    const res = solver.solve(grid);
    expect(res.count).toBe(2);
    expect(solver.countSolutions(grid, 5)).toBe(5);
  });

  it("reports no solution for contradictory givens or an impossible cell", () => {
    const clash = parseGrid("11" + ".".repeat(79)).grid;
    expect(solver.solve(clash).count).toBe(0);
    // r1c9 can hold nothing: its row, column and box already hold 1..9 between them.
    const stuck = parseGrid("12345678." + "........9" + ".".repeat(63)).grid;
    expect(solver.solve(stuck).count).toBe(0);
  });

  it("solves a puzzle needing no guess with 0 guesses, and an empty grid to a valid one", () => {
    // One blank per row (on the diagonal): each is a naked single.
    const easy = parseGrid("483921657967345821251876493548132976729564138136798245372689514814253769695417382").grid;
    for (let r = 0; r < 9; r++) easy[r * 9 + r] = 0;
    const res = solver.solve(easy);
    expect(res.count).toBe(1);
    expect(res.guesses).toBe(0);
    const empty = solver.solve(new Uint8Array(81), { limit: 1 });
    expect(isValidSolution(empty.solution!, s9)).toBe(true);
  });

  it("honours forbid: no solution with the given cell changed means the cell is forced", () => {
    const { grid } = parseGrid(puzzle);
    const full = solver.solve(grid).solution!;
    const blanked = grid.slice();
    blanked[0] = 0;
    // Removing r1c1 opens a second solution, so one exists with r1c1 ≠ 4.
    expect(solver.solve(blanked, { limit: 1, forbid: { cell: 0, digit: full[0] } }).count).toBe(1);
    // A blank whose value is forced by the other givens: no solution differs there.
    const forcedCell = full.findIndex((_, i) => grid[i] === 0);
    expect(solver.solve(grid, { limit: 1, forbid: { cell: forcedCell, digit: full[forcedCell] } }).count).toBe(0);
  });

  it("stops at maxGuesses and says so", () => {
    const { grid } = parseGrid(puzzle);
    const res = solver.solve(grid, { maxGuesses: 3 });
    expect(res.aborted).toBe(true);
    expect(res.guesses).toBe(3);
    expect(solver.solve(grid).aborted).toBe(false);
  });
});

describe("other box shapes", () => {
  it.each([
    [2, 2],
    [2, 3],
    [3, 2],
    [2, 4],
    [3, 4],
    [4, 4],
  ])("fills an empty %ix%i-box grid validly and re-solves it from a third of its cells", (br, bc) => {
    const shape = sudokuShape(br, bc);
    const solver = new SudokuSolver(shape);
    const rng = new Rng(br * 10 + bc);
    const full = randomSolutionGrid(shape, rng, solver);
    expect(isValidSolution(full, shape)).toBe(true);
    const q = full.slice();
    for (let i = 0; i < shape.cells; i++) if (rng.next() < 0.67) q[i] = 0;
    const res = solver.solve(q, { limit: 1 });
    expect(res.count).toBe(1);
    expect(isValidSolution(res.solution!, shape)).toBe(true);
    expect(keepsGivens(q, res.solution!)).toBe(true);
  });

  it("solves a hand-written 6x6 puzzle (2x3 boxes) to its known answer", () => {
    // Answer rows: 123456 / 456123 / 231564 / 564231 / 312645 / 645312 (2x3 boxes).
    const answer = "123456456123231564564231312645645312";
    const q = ".2345." + "4.61.3" + "23..64" + "56..31" + "3.26.5" + ".4531."; // both diagonals blank
    const { grid, shape } = parseGrid(q);
    expect(shape.boxCols).toBe(3);
    const res = new SudokuSolver(shape).solve(grid);
    expect(res.count).toBe(1);
    expect(formatGrid(res.solution!)).toBe(answer);
  });

  it("random 16x16 grids are valid and distinct per seed", () => {
    const shape = shapeForSize(16);
    const solver = new SudokuSolver(shape);
    const a = randomSolutionGrid(shape, new Rng(1), solver);
    const b = randomSolutionGrid(shape, new Rng(2), solver);
    const a2 = randomSolutionGrid(shape, new Rng(1), solver);
    expect(isValidSolution(a, shape)).toBe(true);
    expect(formatGrid(a)).not.toBe(formatGrid(b));
    expect(formatGrid(a2)).toBe(formatGrid(a));
  });
});
