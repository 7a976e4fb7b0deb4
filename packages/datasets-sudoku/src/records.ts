import { DataFormatError } from "@recurse/core";
import { assertAnswerMatches, assertConsistent, locate, parseGrid, sizeForLength, type GridSource } from "./grid";
import type { SudokuShape } from "./shape";

/** One puzzle read from a file: the givens, the answer when the file has one, and where it came from. */
export interface SudokuRecord {
  /** Values 0 (blank) or 1..N, row-major, length N². */
  question: Uint8Array;
  /** The solution (1..N) when the file gives it. */
  answer?: Uint8Array;
  shape: SudokuShape;
  /** `source` column of a CSV, or the file name. */
  source?: string;
  /** `rating` column of a CSV, or a trailing number on a bank line. */
  rating?: number;
  /** Where the record is: file and 1-based line. */
  file?: string;
  line: number;
}

export interface ParseOptions {
  /** File name used in error messages and as default `source`. */
  file?: string;
  /** Force a shape (e.g. 3x2 boxes for 6x6); by default inferred from the grid length. */
  shape?: SudokuShape;
  /** Check the answer agrees with the givens and the rules (default true). Givens are always checked. */
  checkAnswers?: boolean;
}

/** Split text into lines, accepting LF and CRLF; returns [1-based line number, text] pairs. */
function lines(text: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  const raw = (text.startsWith("\ufeff") ? text.slice(1) : text).split("\n");
  for (let i = 0; i < raw.length; i++) {
    const l = raw[i].endsWith("\r") ? raw[i].slice(0, -1) : raw[i];
    out.push([i + 1, l]);
  }
  return out;
}

/** Split one CSV line into fields; supports double-quoted fields with "" escapes. Returns fields and their 1-based start columns. */
function splitCsv(line: string, src: GridSource): { fields: string[]; columns: number[] } {
  const fields: string[] = [];
  const columns: number[] = [];
  let i = 0;
  for (;;) {
    columns.push(i + 1);
    if (line[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        if (i >= line.length) throw new DataFormatError("unterminated quoted field", { ...locate(src), expected: 'a closing "' });
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i++];
      }
      fields.push(value);
      if (i < line.length && line[i] !== ",") {
        throw new DataFormatError(`unexpected character after a quoted field at column ${i + 1}`, { ...locate(src), expected: "a comma" });
      }
    } else {
      const end = line.indexOf(",", i);
      fields.push(end < 0 ? line.slice(i) : line.slice(i, end));
      i = end < 0 ? line.length : end;
    }
    if (i >= line.length) break;
    i++; // the comma
  }
  return { fields, columns };
}

/** Lower-cased names a question/answer column may have. */
const QUESTION_NAMES = ["question", "q", "puzzle", "quizzes", "quiz"];
const ANSWER_NAMES = ["answer", "a", "solution", "solutions"];

/** Where the columns of a CSV are, from its header line. */
export interface CsvColumns {
  names: string[];
  question: number;
  answer: number;
  source: number;
  rating: number;
}

/**
 * Read a CSV header (`source,question,answer,rating`; only a question column is required, `q`/`a` accepted).
 *
 * @example
 * ```ts
 * csvColumns("source,question,answer,rating").answer; // 2
 * ```
 */
export function csvColumns(header: string, file?: string, line = 1): CsvColumns {
  const names = splitCsv(header.replace(/^\ufeff/, ""), { file, line }).fields.map((h) => h.trim().toLowerCase());
  const col = (alts: string[]) => names.findIndex((n) => alts.includes(n));
  const cols: CsvColumns = { names, question: col(QUESTION_NAMES), answer: col(ANSWER_NAMES), source: col(["source"]), rating: col(["rating"]) };
  if (cols.question < 0) {
    throw new DataFormatError(`CSV header has no question column (found: ${names.join(", ") || "nothing"})`, {
      file,
      field: `line ${line}`,
      expected: "a header like source,question,answer,rating",
    });
  }
  return cols;
}

/**
 * Parse one CSV data row (not blank). The givens are checked for contradictions and a present answer must be
 * complete, valid and agree with them.
 *
 * @example
 * ```ts
 * const cols = csvColumns("source,question,answer,rating");
 * const rec = parseCsvRow("x,1..2.4....1.2..3,1342243131244213,0", 2, cols);
 * ```
 */
export function parseCsvRow(text: string, line: number, cols: CsvColumns, options: ParseOptions = {}): SudokuRecord {
  const file = options.file;
  const { fields, columns } = splitCsv(text, { file, line });
  const { names } = cols;
  if (fields.length !== names.length) {
    throw new DataFormatError(`row has ${fields.length} fields`, { file, field: `line ${line}`, expected: `${names.length} fields like the header (${names.join(",")})` });
  }
  const qSrc: GridSource = { file, line, field: names[cols.question], column: columns[cols.question] };
  const q = parseGrid(fields[cols.question], { shape: options.shape, source: qSrc });
  const shape = q.shape;
  assertConsistent(q.grid, shape, qSrc);
  const rec: SudokuRecord = { question: q.grid, shape, file, line, source: cols.source >= 0 ? fields[cols.source] : file };
  if (cols.answer >= 0 && fields[cols.answer] !== "") {
    const aSrc: GridSource = { file, line, field: names[cols.answer], column: columns[cols.answer] };
    const a = parseGrid(fields[cols.answer], { shape, source: aSrc });
    if (options.checkAnswers !== false) assertAnswerMatches(q.grid, a.grid, shape, aSrc);
    rec.answer = a.grid;
  }
  if (cols.rating >= 0 && fields[cols.rating] !== "") {
    const r = Number(fields[cols.rating]);
    if (!Number.isFinite(r)) {
      throw new DataFormatError(`rating ${JSON.stringify(fields[cols.rating])} is not a number`, {
        file,
        field: `line ${line}, column ${columns[cols.rating]}`,
        expected: "a number or an empty field",
      });
    }
    rec.rating = r;
  }
  return rec;
}

/**
 * Parse a Sudoku-Extreme style CSV: a header naming the columns (see {@link csvColumns}), then one puzzle per
 * line (see {@link parseCsvRow}). Blank lines are skipped; LF or CRLF. The first row fixes the shape for the rest.
 *
 * @example
 * ```ts
 * const records = parseSudokuCsv("source,question,answer,rating\nx,1..2.4....1.2..3,1342243131244213,0\n");
 * ```
 */
export function parseSudokuCsv(text: string, options: ParseOptions = {}): SudokuRecord[] {
  const all = lines(text);
  const headerAt = all.findIndex(([, l]) => l.trim() !== "");
  if (headerAt < 0) return [];
  const cols = csvColumns(all[headerAt][1], options.file, all[headerAt][0]);
  const out: SudokuRecord[] = [];
  let shape = options.shape;
  for (let k = headerAt + 1; k < all.length; k++) {
    const [line, l] = all[k];
    if (l.trim() === "") continue;
    const rec = parseCsvRow(l, line, cols, { ...options, shape });
    shape = rec.shape;
    out.push(rec);
  }
  return out;
}

/**
 * Parse one line of a bank (not blank, not a `#` comment): a grid token of N² characters ('.' or '0' blank),
 * optionally a second grid token (the answer), an id token before and a rating after, separated by spaces or tabs
 * (so the sudoku-exchange format `<id> <81 digits> <rating>` reads as is).
 *
 * @example
 * ```ts
 * parseBankLine("1..2.4....1.2..3", 1).question[0]; // 1
 * ```
 */
export function parseBankLine(l: string, line: number, options: ParseOptions = {}): SudokuRecord {
  const file = options.file;
  const shape = options.shape;
  const tokens: Array<{ text: string; column: number }> = [];
  const re = /\S+/g;
  for (let m = re.exec(l); m; m = re.exec(l)) tokens.push({ text: m[0], column: m.index + 1 });
  const wanted = shape?.cells;
  // Without a shape, the largest grid-sized tokens are the puzzle, so a 16-character id beside an 81-character
  // puzzle is not mistaken for a 4x4 grid. With a shape (fixed by the first line) only that length counts.
  let grids = tokens.filter((t) => (wanted !== undefined ? t.text.length === wanted : sizeForLength(t.text.length) !== undefined));
  // A reduce, not Math.max(...spread): a hostile line of ~100k tokens would overflow the call stack.
  const longestGrid = grids.reduce((m, t) => Math.max(m, t.text.length), 0);
  grids = grids.filter((t) => t.text.length === longestGrid);
  if (grids.length === 0 || grids.length > 2) {
    const longest = tokens.reduce((a, t) => (t.text.length > a.text.length ? t : a), tokens[0]);
    throw new DataFormatError(
      grids.length === 0 ? `no puzzle on this line (longest token has ${longest?.text.length ?? 0} characters)` : `${grids.length} grid-sized tokens on one line`,
      {
        file,
        field: `line ${line}`,
        expected: wanted
          ? `one puzzle of ${wanted} characters (and optionally its answer), e.g. "<puzzle>" or "<id> <puzzle> <rating>"`
          : `one puzzle of 16, 36, 81 or 256 characters (and optionally its answer)`,
      },
    );
  }
  const qSrc: GridSource = { file, line, field: "puzzle", column: grids[0].column };
  const q = parseGrid(grids[0].text, { shape, source: qSrc });
  assertConsistent(q.grid, q.shape, qSrc);
  const rec: SudokuRecord = { question: q.grid, shape: q.shape, file, line, source: file };
  if (grids.length === 2) {
    const aSrc: GridSource = { file, line, field: "answer", column: grids[1].column };
    const a = parseGrid(grids[1].text, { shape: q.shape, source: aSrc });
    if (options.checkAnswers !== false) assertAnswerMatches(q.grid, a.grid, q.shape, aSrc);
    rec.answer = a.grid;
  }
  const after = tokens.slice(tokens.indexOf(grids[grids.length - 1]) + 1);
  if (after.length > 0 && Number.isFinite(Number(after[0].text))) rec.rating = Number(after[0].text);
  return rec;
}

/** True for lines a bank skips: blank, or a `#` comment. */
export function isBankCommentOrBlank(l: string): boolean {
  const t = l.trim();
  return t === "" || t.startsWith("#");
}

/**
 * Parse a one-puzzle-per-line bank (see {@link parseBankLine}). Lines starting with `#` and blank lines are
 * skipped; CRLF line endings are accepted. The first puzzle fixes the shape for the rest.
 *
 * @example
 * ```ts
 * const records = parseSudokuLines("# my bank\r\n1..2.4....1.2..3\r\n");
 * ```
 */
export function parseSudokuLines(text: string, options: ParseOptions = {}): SudokuRecord[] {
  const out: SudokuRecord[] = [];
  let shape = options.shape;
  for (const [line, l] of lines(text)) {
    if (isBankCommentOrBlank(l)) continue;
    const rec = parseBankLine(l, line, { ...options, shape });
    shape = rec.shape;
    out.push(rec);
  }
  return out;
}

/**
 * Parse either format: a CSV when the first non-blank line names a `question` (or `q`/`puzzle`) column, otherwise
 * a line bank.
 *
 * @example
 * ```ts
 * const records = parseSudokuText(readFileSync(path, "utf8"), { file: path });
 * ```
 */
export function parseSudokuText(text: string, options: ParseOptions = {}): SudokuRecord[] {
  return looksLikeCsv(text) ? parseSudokuCsv(text, options) : parseSudokuLines(text, options);
}

/**
 * True when the first non-blank, non-comment line is a CSV header with a question column.
 *
 * @example
 * ```ts
 * looksLikeCsv("source,question,answer,rating\n"); // true
 * ```
 */
export function looksLikeCsv(text: string): boolean {
  for (const raw of text.slice(0, 1 << 16).split("\n", 50)) {
    const l = raw.replace(/^\ufeff/, "").trim();
    if (l === "" || l.startsWith("#")) continue;
    const names = l.toLowerCase().split(",").map((s) => s.trim().replace(/^"|"$/g, ""));
    return names.length > 1 && names.some((n) => QUESTION_NAMES.includes(n));
  }
  return false;
}
