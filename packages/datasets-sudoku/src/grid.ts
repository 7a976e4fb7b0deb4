import { DataFormatError } from "@recurse/core";
import { charDigit, describeCharset, digitChar } from "./charset";
import { cellName, MAX_SUDOKU_SIZE, shapeForSize, type SudokuShape } from "./shape";

/** Where a grid string came from, so errors can point at it: file, 1-based line, field name, first char's column. */
export interface GridSource {
  file?: string;
  line?: number;
  /** "question", "answer", "puzzle", ... */
  field?: string;
  /** 1-based column in the line of the grid's first character. */
  column?: number;
}

/** The error location of a source, optionally at one character (0-based index into the grid string). */
export function locate(src: GridSource, index?: number, shape?: SudokuShape): { file?: string; field?: string } {
  const parts: string[] = [];
  if (src.line !== undefined) parts.push(`line ${src.line}`);
  let what = src.field ?? "";
  if (index !== undefined) {
    const col = (src.column ?? 1) + index;
    const cell = shape && index < shape.cells ? ` (${cellName(shape, index)})` : "";
    what = `${what ? what + " " : ""}column ${col}${cell}`;
  }
  if (what) parts.push(what);
  return { file: src.file, field: parts.length ? parts.join(", ") : undefined };
}

/**
 * N for a grid string length (N² characters), or undefined when the length is not a supported square.
 *
 * @example
 * ```ts
 * sizeForLength(81); // 9
 * ```
 */
export function sizeForLength(length: number): number | undefined {
  const n = Math.round(Math.sqrt(length));
  return n * n === length && n >= 2 && n <= MAX_SUDOKU_SIZE ? n : undefined;
}

/**
 * Parse one grid string (row-major, N² characters; '.' or '0' blank; 1-9 then A-G) into cell values
 * (0 blank, 1..N digit). The shape is taken from `shape` or inferred from the length with {@link shapeForSize}.
 * Throws {@link DataFormatError} naming the file, line, column and cell of the first bad character.
 *
 * @example
 * ```ts
 * const { grid, shape } = parseGrid("1..2.4....1.2..3");  // 4x4, 2x2 boxes
 * grid[0]; // 1
 * ```
 */
export function parseGrid(text: string, options: { shape?: SudokuShape; source?: GridSource } = {}): { grid: Uint8Array; shape: SudokuShape } {
  const src = options.source ?? {};
  let shape = options.shape;
  if (!shape) {
    const n = sizeForLength(text.length);
    if (n === undefined) {
      throw new DataFormatError(`grid has ${text.length} characters`, {
        ...locate(src),
        expected: "N×N characters for a supported size: 16 (4x4), 36 (6x6), 81 (9x9) or 256 (16x16)",
      });
    }
    shape = shapeForSize(n);
  } else if (text.length !== shape.cells) {
    throw new DataFormatError(`grid has ${text.length} characters`, {
      ...locate(src),
      expected: `${shape.cells} characters for a ${shape.label} grid`,
    });
  }
  const grid = new Uint8Array(shape.cells);
  for (let i = 0; i < shape.cells; i++) {
    const d = charDigit(text.charCodeAt(i));
    if (d < 0 || d > shape.size) {
      throw new DataFormatError(`unexpected character ${JSON.stringify(text[i])}`, {
        ...locate(src, i, shape),
        expected: describeCharset(shape),
      });
    }
    grid[i] = d;
  }
  return { grid, shape };
}

/** One broken rule: `digit` appears twice in a unit, at `cells` (the first two occurrences). */
export interface Conflict {
  digit: number;
  unit: "row" | "column" | "box";
  /** 0-based unit index. */
  index: number;
  cells: [number, number];
}

const UNIT_KINDS = ["row", "column", "box"] as const;

/**
 * Every duplicated digit in a row, column or box (blanks ignored).
 *
 * @example
 * ```ts
 * const s = shapeForSize(4);
 * findConflicts(new Uint8Array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), s); // row 0 and box 0 conflicts
 * ```
 */
export function findConflicts(grid: ArrayLike<number>, shape: SudokuShape): Conflict[] {
  const out: Conflict[] = [];
  const n = shape.size;
  const seenAt = new Int32Array(n + 1);
  for (let u = 0; u < 3 * n; u++) {
    seenAt.fill(-1);
    for (let k = 0; k < n; k++) {
      const cell = shape.units[u * n + k];
      const d = grid[cell];
      if (d === 0) continue;
      if (seenAt[d] >= 0) {
        out.push({ digit: d, unit: UNIT_KINDS[Math.floor(u / n)], index: u % n, cells: [seenAt[d], cell] });
      } else seenAt[d] = cell;
    }
  }
  return out;
}

/**
 * A human sentence for a conflict: "digit 5 appears twice in row 3, at r3c2 and r3c7".
 *
 * @example
 * ```ts
 * findConflicts(grid, shape).map((c) => describeConflict(c, shape));
 * ```
 */
export function describeConflict(c: Conflict, shape: SudokuShape): string {
  return `digit ${digitChar(c.digit)} appears twice in ${c.unit} ${c.index + 1}, at ${cellName(shape, c.cells[0])} and ${cellName(shape, c.cells[1])}`;
}

/**
 * Throw {@link DataFormatError} when the givens break a rule, naming the digit, the unit and both cells.
 *
 * @example
 * ```ts
 * assertConsistent(grid, shape, { file: "bank.txt", line: 12, field: "puzzle" });
 * ```
 */
export function assertConsistent(grid: ArrayLike<number>, shape: SudokuShape, source: GridSource = {}): void {
  const conflicts = findConflicts(grid, shape);
  if (conflicts.length === 0) return;
  const c = conflicts[0];
  const more = conflicts.length > 1 ? ` (and ${conflicts.length - 1} more conflict${conflicts.length > 2 ? "s" : ""})` : "";
  throw new DataFormatError(`contradictory ${source.field ?? "grid"}: ${describeConflict(c, shape)}${more}`, {
    ...locate(source, c.cells[1], shape),
    expected: "each digit at most once per row, column and box",
  });
}

/**
 * Throw {@link DataFormatError} unless `answer` is a complete valid grid that agrees with every given of `question`.
 *
 * @example
 * ```ts
 * assertAnswerMatches(question, answer, shape, { file: "train.csv", line: 2, field: "answer" });
 * ```
 */
export function assertAnswerMatches(question: ArrayLike<number>, answer: ArrayLike<number>, shape: SudokuShape, source: GridSource = {}): void {
  const field = source.field ?? "answer";
  for (let i = 0; i < shape.cells; i++) {
    if (answer[i] === 0) {
      throw new DataFormatError(`${field} has a blank at ${cellName(shape, i)}`, {
        ...locate(source, i, shape),
        expected: `a complete solution with a digit in all ${shape.cells} cells`,
      });
    }
  }
  const conflicts = findConflicts(answer, shape);
  if (conflicts.length > 0) {
    throw new DataFormatError(`${field} breaks the rules: ${describeConflict(conflicts[0], shape)}`, {
      ...locate(source, conflicts[0].cells[1], shape),
      expected: "a valid solution (each digit once per row, column and box)",
    });
  }
  for (let i = 0; i < shape.cells; i++) {
    if (question[i] !== 0 && question[i] !== answer[i]) {
      throw new DataFormatError(
        `${field} has ${digitChar(answer[i])} at ${cellName(shape, i)} but the question gives ${digitChar(question[i])}`,
        { ...locate(source, i, shape), expected: "a solution that keeps every given" },
      );
    }
  }
}

/**
 * Number of givens (non-blank cells).
 *
 * @example
 * ```ts
 * countGivens(parseGrid("1..2............").grid); // 2
 * ```
 */
export function countGivens(grid: ArrayLike<number>): number {
  let k = 0;
  for (let i = 0; i < grid.length; i++) if (grid[i] !== 0) k++;
  return k;
}
