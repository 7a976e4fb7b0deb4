import type { SudokuShape } from "./shape";

/**
 * Digit characters: 1..9 are themselves, 10..16 are the letters A..G (so a 16×16 grid uses `1-9 A-G` and '0'
 * stays free to mean blank, as it does in 9×9 banks). Letters are read case-insensitively. Blanks are '.' or '0'
 * on input and '.' on output.
 */
export const DIGIT_CHARS = "123456789ABCDEFG";

/**
 * The character for digit `d` (1..16), '.' for 0.
 *
 * @example
 * ```ts
 * digitChar(10); // "A"
 * ```
 */
export function digitChar(d: number): string {
  return d === 0 ? "." : DIGIT_CHARS[d - 1];
}

/**
 * The digit a character stands for: 0 for a blank ('.' or '0'), 1..16 for a digit, -1 for anything else.
 * Digits above the grid's size are reported by the caller, which knows the shape.
 *
 * @example
 * ```ts
 * charDigit("G".charCodeAt(0)); // 16
 * ```
 */
export function charDigit(code: number): number {
  if (code === 46 || code === 48) return 0; // '.', '0'
  if (code >= 49 && code <= 57) return code - 48; // '1'..'9'
  if (code >= 65 && code <= 71) return code - 55; // 'A'..'G'
  if (code >= 97 && code <= 103) return code - 87; // 'a'..'g'
  return -1;
}

/**
 * The allowed characters for a shape, for error messages: e.g. "'1'-'9', '.' or '0' for blank".
 *
 * @example
 * ```ts
 * describeCharset(shapeForSize(16)); // "'1'-'9' and 'A'-'G', '.' or '0' for blank"
 * ```
 */
export function describeCharset(shape: SudokuShape): string {
  const last = digitChar(shape.size);
  const digits = shape.size <= 9 ? `'1'-'${last}'` : `'1'-'9' and 'A'-'${last}'`;
  return `${digits}, '.' or '0' for blank`;
}

/**
 * One line of N² characters, row-major, '.' for blanks.
 *
 * @example
 * ```ts
 * formatGrid(new Uint8Array([1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])); // "1..2............"
 * ```
 */
export function formatGrid(grid: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < grid.length; i++) s += digitChar(grid[i]);
  return s;
}
