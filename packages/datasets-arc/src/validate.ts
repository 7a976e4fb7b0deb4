import { DataFormatError } from "@recurse/core";
import { ARC_MAX_GRID_SIZE, type Grid } from "./grid";

/** Where a grid sits, so an error can name the file, puzzle, pair and side. */
export interface GridLocation {
  file?: string;
  puzzle?: string;
  /** `train` (demonstration) or `test` pairs. */
  split?: "train" | "test";
  /** Index of the pair inside its split. */
  pair?: number;
  side?: "input" | "output";
}

function fieldOf(at: GridLocation, cell?: { row: number; column?: number }): string {
  let field = at.puzzle !== undefined ? `puzzle ${at.puzzle}` : "grid";
  if (at.split !== undefined) field += ` ${at.split}[${at.pair ?? 0}]`;
  if (at.side !== undefined) field += `.${at.side}`;
  if (cell) field += ` row ${cell.row}` + (cell.column !== undefined ? ` column ${cell.column}` : "");
  return field;
}

const EXPECTED_GRID = `a rectangular list of 1..${ARC_MAX_GRID_SIZE} rows of 1..${ARC_MAX_GRID_SIZE} integer colours 0..9`;

/**
 * Checks that a JSON value is an ARC grid (a rectangular list of 1..30 rows of 1..30 integers 0..9) and returns it
 * in compact form. Throws a DataFormatError naming the file, puzzle, pair and the offending row and column.
 *
 * @example
 * ```ts
 * const g = validateGrid([[0, 1], [2, 3]], { file: "a.json", puzzle: "a", split: "train", pair: 0, side: "input" });
 * validateGrid([[0, 1], [2]], {}); // throws: grid row 1: ... has 1 columns, row 0 has 2
 * ```
 */
export function validateGrid(value: unknown, at: GridLocation = {}): Grid {
  if (!Array.isArray(value)) {
    throw new DataFormatError(`is ${describe(value)}, not a list of rows`, { file: at.file, field: fieldOf(at), expected: EXPECTED_GRID });
  }
  const height = value.length;
  if (height < 1 || height > ARC_MAX_GRID_SIZE) {
    throw new DataFormatError(`has ${height} rows`, { file: at.file, field: fieldOf(at), expected: `1..${ARC_MAX_GRID_SIZE} rows` });
  }
  const first = value[0];
  if (!Array.isArray(first)) {
    throw new DataFormatError(`is ${describe(first)}, not a list of colours`, { file: at.file, field: fieldOf(at, { row: 0 }), expected: EXPECTED_GRID });
  }
  const width = first.length;
  if (width < 1 || width > ARC_MAX_GRID_SIZE) {
    throw new DataFormatError(`has ${width} columns`, { file: at.file, field: fieldOf(at, { row: 0 }), expected: `1..${ARC_MAX_GRID_SIZE} columns` });
  }
  const cells = new Uint8Array(height * width);
  for (let r = 0; r < height; r++) {
    const row = value[r];
    if (!Array.isArray(row)) {
      throw new DataFormatError(`is ${describe(row)}, not a list of colours`, { file: at.file, field: fieldOf(at, { row: r }), expected: EXPECTED_GRID });
    }
    if (row.length !== width) {
      throw new DataFormatError(`has ${row.length} columns but row 0 has ${width} (ragged grid)`, {
        file: at.file,
        field: fieldOf(at, { row: r }),
        expected: "every row as long as the first",
      });
    }
    for (let c = 0; c < width; c++) {
      const v = row[c];
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 9) {
        throw new DataFormatError(`is ${describe(v)}`, { file: at.file, field: fieldOf(at, { row: r, column: c }), expected: "an integer colour 0..9" });
      }
      cells[r * width + c] = v;
    }
  }
  return { height, width, cells };
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === "string") return JSON.stringify(v.length > 20 ? v.slice(0, 20) + "..." : v);
  if (typeof v === "object") return "an object";
  return String(v);
}
