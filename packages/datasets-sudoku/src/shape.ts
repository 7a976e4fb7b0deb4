import { ConfigError } from "@recurse/core";

/**
 * The geometry of a Sudoku: an N×N grid (N = boxRows·boxCols) split into boxes of `boxRows` rows by `boxCols`
 * columns. Every cell table the solver, augmenter and canonicaliser need is precomputed once per shape.
 *
 * Bands are the horizontal strips of boxes (`bands` of them, `boxRows` rows each); stacks are the vertical strips
 * (`stacks` of them, `boxCols` columns each).
 *
 * @example
 * ```ts
 * const s = sudokuShape(2, 3);    // 6×6 with 2-row × 3-column boxes
 * s.size;                         // 6
 * s.boxOf[s.cells - 1];           // 5: the bottom-right box
 * ```
 */
export interface SudokuShape {
  readonly boxRows: number;
  readonly boxCols: number;
  /** N: digits 1..N, N rows, N columns. */
  readonly size: number;
  /** N²: the sequence length. */
  readonly cells: number;
  /** Number of horizontal strips of boxes (= boxCols). */
  readonly bands: number;
  /** Number of vertical strips of boxes (= boxRows). */
  readonly stacks: number;
  /** Bit mask with bits 0..N-1 set: every digit. */
  readonly allDigits: number;
  readonly rowOf: Int32Array;
  readonly colOf: Int32Array;
  readonly boxOf: Int32Array;
  /** 3N units of N cells: rows 0..N-1, then columns, then boxes (box-major, reading order inside). Flat [3N, N]. */
  readonly units: Int32Array;
  /** Peers of each cell (same row, column or box, excluding itself). Flat [cells, peerCount]. */
  readonly peers: Int32Array;
  readonly peerCount: number;
  /** "9x9 (3x3 boxes)"-style label for messages. */
  readonly label: string;
}

/** Largest supported N: digits are bits of a 32-bit mask and have one-character names (1-9, A-G). */
export const MAX_SUDOKU_SIZE = 16;

const cache = new Map<string, SudokuShape>();

/**
 * The shape with boxes of `boxRows` × `boxCols` cells (memoised).
 *
 * @example
 * ```ts
 * sudokuShape(3, 3).cells; // 81
 * ```
 */
export function sudokuShape(boxRows: number, boxCols: number): SudokuShape {
  const key = `${boxRows}x${boxCols}`;
  const hit = cache.get(key);
  if (hit) return hit;
  if (!Number.isInteger(boxRows) || !Number.isInteger(boxCols) || boxRows < 1 || boxCols < 1) {
    throw new ConfigError(`invalid Sudoku box ${boxRows}x${boxCols}`, { field: "boxRows/boxCols", expected: "positive integers" });
  }
  const size = boxRows * boxCols;
  if (size < 2 || size > MAX_SUDOKU_SIZE) {
    throw new ConfigError(`Sudoku box ${boxRows}x${boxCols} gives a ${size}x${size} grid`, {
      field: "boxRows/boxCols",
      expected: `a grid size between 2 and ${MAX_SUDOKU_SIZE}`,
    });
  }
  const cells = size * size;
  const rowOf = new Int32Array(cells);
  const colOf = new Int32Array(cells);
  const boxOf = new Int32Array(cells);
  const bands = size / boxRows;
  for (let i = 0; i < cells; i++) {
    const r = Math.floor(i / size);
    const c = i % size;
    rowOf[i] = r;
    colOf[i] = c;
    boxOf[i] = Math.floor(r / boxRows) * (size / boxCols) + Math.floor(c / boxCols);
  }
  const units = new Int32Array(3 * size * size);
  const boxFill = new Int32Array(size);
  for (let i = 0; i < cells; i++) {
    units[rowOf[i] * size + colOf[i]] = i;
    units[(size + colOf[i]) * size + rowOf[i]] = i;
    const b = boxOf[i];
    units[(2 * size + b) * size + boxFill[b]++] = i;
  }
  const peerCount = 3 * size - 2 - boxRows - boxCols + 1;
  const peers = new Int32Array(cells * peerCount);
  for (let i = 0; i < cells; i++) {
    let k = 0;
    for (let j = 0; j < cells; j++) {
      if (j !== i && (rowOf[j] === rowOf[i] || colOf[j] === colOf[i] || boxOf[j] === boxOf[i])) peers[i * peerCount + k++] = j;
    }
    if (k !== peerCount) throw new Error(`internal: peer count ${k} != ${peerCount}`);
  }
  const shape: SudokuShape = {
    boxRows,
    boxCols,
    size,
    cells,
    bands,
    stacks: size / boxCols,
    allDigits: size === 32 ? -1 : (1 << size) - 1,
    rowOf,
    colOf,
    boxOf,
    units,
    peers,
    peerCount,
    label: `${size}x${size} (${boxRows}x${boxCols} boxes)`,
  };
  cache.set(key, shape);
  return shape;
}

/**
 * Default box shape per grid size: square boxes where N is a square, otherwise the widest box with fewer rows than columns.
 *
 * @example
 * ```ts
 * boxForSize(6); // { boxRows: 2, boxCols: 3 }
 * ```
 */
export function boxForSize(size: number): { boxRows: number; boxCols: number } {
  if (!Number.isInteger(size) || size < 2 || size > MAX_SUDOKU_SIZE) {
    throw new ConfigError(`unsupported Sudoku size ${size}`, { field: "size", expected: `an integer from 2 to ${MAX_SUDOKU_SIZE} (4, 6, 9, 16, ...)` });
  }
  let boxRows = Math.floor(Math.sqrt(size));
  while (size % boxRows !== 0) boxRows--;
  return { boxRows, boxCols: size / boxRows };
}

/**
 * The default shape for an N×N grid: 4 → 2x2, 6 → 2x3, 8 → 2x4, 9 → 3x3, 12 → 3x4, 16 → 4x4.
 * Prime N gives 1×N boxes (a Latin square with a row-shaped box), which is allowed but rarely wanted.
 *
 * @example
 * ```ts
 * shapeForSize(6).boxCols; // 3
 * ```
 */
export function shapeForSize(size: number): SudokuShape {
  const { boxRows, boxCols } = boxForSize(size);
  return sudokuShape(boxRows, boxCols);
}

/**
 * "r3c7" style (1-based) cell name used in every message.
 *
 * @example
 * ```ts
 * cellName(shapeForSize(9), 10); // "r2c2"
 * ```
 */
export function cellName(shape: SudokuShape, cell: number): string {
  return `r${shape.rowOf[cell] + 1}c${shape.colOf[cell] + 1}`;
}
