import { digitChar } from "./charset";
import type { SudokuShape } from "./shape";

/** Options of {@link renderGrid}. */
export interface RenderOptions {
  /** ANSI colours: givens bold, cells that differ from `givens` (e.g. predictions) in cyan, blanks dim. */
  color?: boolean;
  /** The puzzle's givens (values 0..N); cells given here are shown as givens. */
  givens?: ArrayLike<number>;
}

/**
 * An ASCII grid with box separators, one text line per row, e.g. for 4x4:
 * ```
 * 1 . | . 2
 * . 4 | . .
 * ----+----
 * . . | 1 .
 * 2 . | . 3
 * ```
 *
 * @example
 * ```ts
 * console.log(renderGrid(grid, shapeForSize(9)));
 * ```
 */
export function renderGrid(grid: ArrayLike<number>, shape: SudokuShape, options: RenderOptions = {}): string {
  const { size: n, boxRows, boxCols } = shape;
  const color = options.color ?? false;
  const lines: string[] = [];
  const sepParts: string[] = [];
  for (let s = 0; s < shape.stacks; s++) sepParts.push("-".repeat(boxCols * 2 - 1));
  const separator = sepParts.join("-+-");
  for (let r = 0; r < n; r++) {
    if (r > 0 && r % boxRows === 0) lines.push(separator);
    const parts: string[] = [];
    for (let c = 0; c < n; c++) {
      if (c > 0 && c % boxCols === 0) parts.push("|");
      const i = r * n + c;
      const v = grid[i];
      let ch = v > 0 && v <= n ? digitChar(v) : ".";
      if (color) {
        const given = options.givens ? options.givens[i] !== 0 : false;
        if (v === 0) ch = `\x1b[2m${ch}\x1b[0m`;
        else if (given) ch = `\x1b[1m${ch}\x1b[0m`;
        else if (options.givens) ch = `\x1b[36m${ch}\x1b[0m`;
      }
      parts.push(ch);
    }
    lines.push(parts.join(" "));
  }
  return lines.join("\n");
}
