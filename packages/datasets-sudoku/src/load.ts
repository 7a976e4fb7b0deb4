import { readFile } from "node:fs/promises";
import { DataFormatError } from "@recurse/core";
import { csvColumns, looksLikeCsv, parseBankLine, parseCsvRow, type CsvColumns, type ParseOptions, type SudokuRecord } from "./records";
import type { SudokuShape } from "./shape";

/**
 * A puzzle file opened for random access: the bytes stay in one Buffer and only the line offsets are indexed, so
 * a multi-million-row CSV (Sudoku-Extreme's train.csv is about 700 MB, beyond V8's largest string) can be
 * subsampled without parsing the rows it does not use. Rows are parsed and validated when read.
 *
 * @example
 * ```ts
 * const file = await SudokuFile.open("train.csv");
 * file.count;           // data rows (header, comments and blank lines excluded)
 * const rec = file.record(17);
 * ```
 */
export class SudokuFile {
  readonly path: string;
  readonly format: "csv" | "lines";
  private readonly bytes: Buffer;
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private readonly lineNumbers: Int32Array;
  private readonly columns: CsvColumns | undefined;
  /** Shape forced by the caller, or fixed by the first record read. */
  shape: SudokuShape | undefined;
  private readonly checkAnswers: boolean;

  private constructor(path: string, bytes: Buffer, options: Omit<ParseOptions, "file">) {
    this.path = path;
    this.bytes = bytes;
    this.shape = options.shape;
    this.checkAnswers = options.checkAnswers !== false;
    const head = bytes.toString("utf8", 0, Math.min(bytes.length, 1 << 16));
    this.format = looksLikeCsv(head) ? "csv" : "lines";
    const starts: number[] = [];
    const ends: number[] = [];
    const numbers: number[] = [];
    let pos = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    let line = 0;
    let header: string | undefined;
    while (pos < bytes.length) {
      line++;
      let end = bytes.indexOf(10, pos);
      const next = end < 0 ? bytes.length : end + 1;
      if (end < 0) end = bytes.length;
      if (end > pos && bytes[end - 1] === 13) end--;
      // First non-space byte decides blank/comment lines without decoding the row.
      let k = pos;
      while (k < end && (bytes[k] === 32 || bytes[k] === 9)) k++;
      const blank = k === end;
      const comment = !blank && bytes[k] === 35 && this.format === "lines";
      if (!blank && !comment) {
        if (this.format === "csv" && header === undefined) {
          header = bytes.toString("utf8", pos, end);
          this.columns = csvColumns(header, path, line);
        } else {
          starts.push(pos);
          ends.push(end);
          numbers.push(line);
        }
      }
      pos = next;
    }
    this.starts = Float64Array.from(starts);
    this.ends = Float64Array.from(ends);
    this.lineNumbers = Int32Array.from(numbers);
  }

  /** Read and index a file (CSV or line bank, detected from the content). */
  static async open(path: string, options: Omit<ParseOptions, "file"> = {}): Promise<SudokuFile> {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (cause) {
      throw new DataFormatError(`cannot read puzzle file: ${(cause as Error).message}`, { file: path, expected: "a readable CSV or line bank" }, { cause });
    }
    return new SudokuFile(path, bytes, options);
  }

  /** Number of data rows. */
  get count(): number {
    return this.starts.length;
  }

  /** 1-based line number of data row `i`. */
  lineOf(i: number): number {
    return this.lineNumbers[i];
  }

  /** Parse and validate data row `i` (0-based among data rows). */
  record(i: number): SudokuRecord {
    if (!(i >= 0 && i < this.count)) throw new RangeError(`row ${i} of ${this.count}`);
    const text = this.bytes.toString("utf8", this.starts[i], this.ends[i]);
    const options: ParseOptions = { file: this.path, shape: this.shape, checkAnswers: this.checkAnswers };
    const rec = this.columns ? parseCsvRow(text, this.lineNumbers[i], this.columns, options) : parseBankLine(text, this.lineNumbers[i], options);
    this.shape ??= rec.shape;
    return rec;
  }

  /** Every row, parsed. */
  records(): SudokuRecord[] {
    const out: SudokuRecord[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.record(i));
    return out;
  }
}

/**
 * Read one puzzle file completely: a Sudoku-Extreme style CSV or a one-puzzle-per-line bank (detected from the
 * content). Every row is validated.
 *
 * @example
 * ```ts
 * const records = await readSudokuFile("data/sudoku/derived/tdoku_puzzles3_magictour_top1465.csv");
 * ```
 */
export async function readSudokuFile(path: string, options: Omit<ParseOptions, "file"> = {}): Promise<SudokuRecord[]> {
  return (await SudokuFile.open(path, options)).records();
}

/**
 * Read several files that must hold the same grid shape; an error names the file and line that differs.
 *
 * @example
 * ```ts
 * const records = await readSudokuFiles(["a.txt", "b.csv"]);
 * ```
 */
export async function readSudokuFiles(paths: readonly string[], options: Omit<ParseOptions, "file"> = {}): Promise<SudokuRecord[]> {
  const out: SudokuRecord[] = [];
  let shape = options.shape;
  for (const path of paths) {
    const file = await SudokuFile.open(path, { ...options, shape });
    for (let i = 0; i < file.count; i++) out.push(file.record(i));
    shape = file.shape ?? shape;
  }
  return out;
}
