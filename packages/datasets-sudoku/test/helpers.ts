import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { findConflicts, type SudokuShape } from "@recurse/datasets-sudoku";

export const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
export const fixture = (p: string) => resolve(FIXTURES, p);
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
/** The project's shared data folder (absent in CI). */
export const SHARED_SUDOKU = resolve(repoRoot, "../shared/data/sudoku");
export const hasShared = existsSync(resolve(SHARED_SUDOKU, "derived"));

/** A complete grid obeys every rule and has no blank. */
export function isValidSolution(grid: ArrayLike<number>, shape: SudokuShape): boolean {
  for (let i = 0; i < shape.cells; i++) if (!(grid[i] >= 1 && grid[i] <= shape.size)) return false;
  return findConflicts(grid, shape).length === 0;
}

/** Every given of `question` is kept in `answer`. */
export function keepsGivens(question: ArrayLike<number>, answer: ArrayLike<number>): boolean {
  for (let i = 0; i < question.length; i++) if (question[i] !== 0 && question[i] !== answer[i]) return false;
  return true;
}
