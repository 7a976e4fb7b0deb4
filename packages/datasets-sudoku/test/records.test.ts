import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DataFormatError } from "@recurse/core";
import { formatGrid, looksLikeCsv, parseSudokuCsv, parseSudokuLines, parseSudokuText, readSudokuFile, SudokuFile } from "@recurse/datasets-sudoku";
import { fixture } from "./helpers";

const MAGIC_CSV = fixture("derived/tdoku_puzzles3_magictour_top1465.head51.csv");
const MAGIC_BANK = fixture("tdoku/puzzles3_magictour_top1465.lines1-52+302+309.txt");
const CRLF_BANK = fixture("tdoku/puzzles2_17_clue.head54.txt");
const EXCHANGE = fixture("sudoku-exchange/diabolical.head50.txt");

function errorOf(fn: () => unknown): DataFormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataFormatError);
    return e as DataFormatError;
  }
  throw new Error("expected a DataFormatError");
}

describe("Sudoku-Extreme CSV", () => {
  it("reads the fixture: questions, answers, sources, ratings and line numbers", async () => {
    const records = await readSudokuFile(MAGIC_CSV);
    expect(records).toHaveLength(50);
    const text = readFileSync(MAGIC_CSV, "utf8").trim().split("\n");
    const [source, q, a, rating] = text[1].split(",");
    expect(formatGrid(records[0].question)).toBe(q);
    expect(Array.from(records[0].answer!).join("")).toBe(a);
    expect(records[0].source).toBe(source);
    expect(records[0].rating).toBe(Number(rating));
    expect(records[0].line).toBe(2);
    expect(records[49].line).toBe(51);
    expect(records[0].shape.size).toBe(9);
  });

  it("accepts CRLF, a BOM, blank lines, quoted fields and a missing answer", () => {
    const text = '\ufeffsource,question,answer,rating\r\n"a, quoted",1...............,,3\r\n\r\nx,..1.............,"",\r\n';
    const records = parseSudokuCsv(text, { file: "t.csv" });
    expect(records.map((r) => r.source)).toEqual(["a, quoted", "x"]);
    expect(records[0].answer).toBeUndefined();
    expect(records[0].rating).toBe(3);
    expect(records[1].line).toBe(4);
    expect(records[1].rating).toBeUndefined();
  });

  it("reports a bad cell with file, line, column and cell", () => {
    const text = "source,question,answer,rating\nok,1...............,,\nbad,1.x.............,,\n";
    const e = errorOf(() => parseSudokuCsv(text, { file: "data.csv" }));
    expect(e.message).toBe(`data.csv: line 3, question column 7 (r1c3): unexpected character "x" (expected '1'-'4', '.' or '0' for blank)`);
    expect(e.location.file).toBe("data.csv");
  });

  it("rejects contradictory givens and wrong answers, naming the cells", () => {
    const dup = "source,question,answer,rating\ns,1...1...........,,0\n";
    expect(errorOf(() => parseSudokuCsv(dup, { file: "d.csv" })).message).toMatch(
      /d\.csv: line 2, question column 7 \(r2c1\): contradictory question: digit 1 appears twice in column 1, at r1c1 and r2c1/,
    );
    const wrong = "source,question,answer,rating\ns,1...............,2143341212344321,0\n";
    expect(errorOf(() => parseSudokuCsv(wrong, { file: "w.csv" })).message).toMatch(/line 2, answer column 20 \(r1c1\): answer has 2 at r1c1 but the question gives 1/);
  });

  it("rejects a header without a question column and rows with the wrong field count", () => {
    expect(errorOf(() => parseSudokuCsv("a,b\n1,2\n", { file: "h.csv" })).message).toMatch(/h\.csv: line 1: CSV header has no question column \(found: a, b\)/);
    expect(errorOf(() => parseSudokuCsv("question,answer\n1...............\n", { file: "f.csv" })).message).toMatch(/line 2: row has 1 fields \(expected 2 fields/);
  });

  it("rejects a row of another size than the first", () => {
    const text = "question\n1...............\n" + ".".repeat(81) + "\n";
    expect(errorOf(() => parseSudokuCsv(text)).message).toMatch(/line 3, question: grid has 81 characters \(expected 16 characters for a 4x4/);
  });
});

describe("line banks", () => {
  it("reads the magictour slice with its # header", async () => {
    const records = await readSudokuFile(MAGIC_BANK);
    expect(records).toHaveLength(52);
    expect(records[0].line).toBe(3);
    expect(records[51].line).toBe(54);
    const lines = readFileSync(MAGIC_BANK, "utf8").split("\n");
    expect(formatGrid(records[0].question)).toBe(lines[2]);
  });

  it("reads CRLF banks (the 17-clue slice) with exactly 17 givens each", async () => {
    const raw = readFileSync(CRLF_BANK, "utf8");
    expect(raw.includes("\r\n")).toBe(true);
    const records = await readSudokuFile(CRLF_BANK);
    expect(records).toHaveLength(50);
    for (const r of records) expect(r.question.filter((d) => d !== 0)).toHaveLength(17);
  });

  it("reads the sudoku-exchange layout: id, 81 digits with 0 blank, rating", async () => {
    const records = await readSudokuFile(EXCHANGE);
    expect(records).toHaveLength(50);
    const first = readFileSync(EXCHANGE, "utf8").split("\n")[0].split(/\s+/);
    expect(formatGrid(records[0].question)).toBe(first[1].replace(/0/g, "."));
    expect(records[0].rating).toBe(Number(first[2]));
  });

  it("takes an optional answer token and checks it", () => {
    const [r] = parseSudokuLines("1............... 1234341221434321\n");
    expect(Array.from(r.answer!)).toEqual([1, 2, 3, 4, 3, 4, 1, 2, 2, 1, 4, 3, 4, 3, 2, 1]);
    expect(() => parseSudokuLines("# c\n1............... 2143341212344321\n", { file: "b.txt" })).toThrow(/b\.txt: line 2, answer column 18 \(r1c1\)/);
  });

  it("says what it expected on a line without a puzzle", () => {
    const e = errorOf(() => parseSudokuLines("# header\n" + ".".repeat(81) + "\n" + ".".repeat(80) + "\n", { file: "bank.txt" }));
    expect(e.message).toBe(
      'bank.txt: line 3: no puzzle on this line (longest token has 80 characters) (expected one puzzle of 81 characters (and optionally its answer), e.g. "<puzzle>" or "<id> <puzzle> <rating>")',
    );
  });

  it("does not mistake a 16-character id for a 4x4 grid", () => {
    const [r] = parseSudokuLines("0123456789abcdef " + ".".repeat(80) + "1\n");
    expect(r.shape.size).toBe(9);
  });
});

describe("format detection and random access", () => {
  it("detects CSV by its header", () => {
    expect(looksLikeCsv("source,question,answer,rating\n")).toBe(true);
    expect(looksLikeCsv("# comment\n" + ".".repeat(81))).toBe(false);
    expect(parseSudokuText("q,a\n1...............,1234341221434321\n")[0].answer).toBeDefined();
  });

  it("SudokuFile gives the same records as parsing the whole text", async () => {
    for (const path of [MAGIC_CSV, CRLF_BANK, EXCHANGE]) {
      const file = await SudokuFile.open(path);
      const all = parseSudokuText(readFileSync(path, "utf8"), { file: path });
      expect(file.count).toBe(all.length);
      for (const i of [0, 17, all.length - 1]) {
        const rec = file.record(i);
        expect(formatGrid(rec.question)).toBe(formatGrid(all[i].question));
        expect(rec.line).toBe(all[i].line);
        expect(rec.rating).toBe(all[i].rating);
      }
    }
  });

  it("names a missing file", async () => {
    await expect(SudokuFile.open("/nonexistent/puzzles.csv")).rejects.toThrow(/\/nonexistent\/puzzles\.csv: cannot read puzzle file/);
  });
});
