import { describe, expect, it } from "vitest";
import { DataFormatError } from "@recurse/core";
import {
  assertAnswerMatches,
  assertConsistent,
  boxForSize,
  charDigit,
  digitChar,
  findConflicts,
  formatGrid,
  parseGrid,
  shapeForSize,
  sudokuShape,
} from "@recurse/datasets-sudoku";

describe("shapes", () => {
  it("maps sizes to the usual boxes", () => {
    expect(boxForSize(4)).toEqual({ boxRows: 2, boxCols: 2 });
    expect(boxForSize(6)).toEqual({ boxRows: 2, boxCols: 3 });
    expect(boxForSize(9)).toEqual({ boxRows: 3, boxCols: 3 });
    expect(boxForSize(16)).toEqual({ boxRows: 4, boxCols: 4 });
    expect(() => boxForSize(17)).toThrow(/unsupported Sudoku size 17/);
  });

  it.each([
    [2, 2, 7],
    [2, 3, 12],
    [3, 3, 20],
    [4, 4, 39],
  ])("box %ix%i: units are partitions and each cell has %i peers", (br, bc, peerCount) => {
    const s = sudokuShape(br, bc);
    expect(s.peerCount).toBe(peerCount);
    expect(s.bands).toBe(bc);
    expect(s.stacks).toBe(br);
    for (let kind = 0; kind < 3; kind++) {
      const seen = new Uint8Array(s.cells);
      for (let u = kind * s.size; u < (kind + 1) * s.size; u++) for (let k = 0; k < s.size; k++) seen[s.units[u * s.size + k]]++;
      expect(Array.from(seen).every((v) => v === 1)).toBe(true);
    }
    // A 2x3 box spans 2 rows and 3 columns.
    const box0 = Array.from(s.units.subarray(2 * s.size * s.size, 2 * s.size * s.size + s.size));
    expect(new Set(box0.map((c) => s.rowOf[c])).size).toBe(br);
    expect(new Set(box0.map((c) => s.colOf[c])).size).toBe(bc);
  });

  it("is memoised", () => {
    expect(sudokuShape(3, 3)).toBe(shapeForSize(9));
  });
});

describe("characters", () => {
  it("uses 1-9 then A-G, '.' and '0' for blanks", () => {
    expect(digitChar(0)).toBe(".");
    expect(digitChar(9)).toBe("9");
    expect(digitChar(10)).toBe("A");
    expect(digitChar(16)).toBe("G");
    expect(charDigit("g".charCodeAt(0))).toBe(16);
    expect(charDigit("0".charCodeAt(0))).toBe(0);
    expect(charDigit("H".charCodeAt(0))).toBe(-1);
  });

  it("round-trips a 16x16 grid string", () => {
    const row = "123456789ABCDEFG";
    const text = row + ".".repeat(240);
    const { grid, shape } = parseGrid(text);
    expect(shape.label).toBe("16x16 (4x4 boxes)");
    expect(grid[15]).toBe(16);
    expect(formatGrid(grid)).toBe(text);
  });
});

describe("parseGrid errors", () => {
  it("names the line, column and cell of a bad character", () => {
    const text = "1..2" + "x" + ".".repeat(11);
    let err: unknown;
    try {
      parseGrid(text, { source: { file: "bank.txt", line: 7, field: "puzzle", column: 14 } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataFormatError);
    const msg = (err as Error).message;
    expect(msg).toContain("bank.txt");
    expect(msg).toContain("line 7");
    expect(msg).toContain("column 18 (r2c1)");
    expect(msg).toContain(`unexpected character "x"`);
    expect(msg).toContain("'1'-'4', '.' or '0' for blank");
  });

  it("rejects a digit above the grid size", () => {
    expect(() => parseGrid("5" + ".".repeat(15))).toThrow(/column 1 \(r1c1\): unexpected character "5"/);
  });

  it("rejects a length that is not a supported square", () => {
    expect(() => parseGrid(".".repeat(80), { source: { file: "f.txt", line: 3 } })).toThrow(/f\.txt: line 3: grid has 80 characters \(expected N×N/);
    expect(() => parseGrid(".".repeat(16), { shape: shapeForSize(9) })).toThrow(/grid has 16 characters \(expected 81 characters for a 9x9/);
  });
});

describe("rules", () => {
  const s4 = shapeForSize(4);
  it("finds duplicates in rows, columns and boxes with both cells", () => {
    // r1c1 = 1 and r2c2 = 1 share a box; r1c4 = 1 shares the row with r1c1.
    const g = parseGrid("1..1.1..........").grid;
    const conflicts = findConflicts(g, s4);
    expect(conflicts).toContainEqual({ digit: 1, unit: "row", index: 0, cells: [0, 3] });
    expect(conflicts).toContainEqual({ digit: 1, unit: "box", index: 0, cells: [0, 5] });
    expect(() => assertConsistent(g, s4, { file: "x.csv", line: 2, field: "question" })).toThrow(
      /x\.csv: line 2, question column 4 \(r1c4\): contradictory question: digit 1 appears twice in row 1, at r1c1 and r1c4 \(and 1 more conflict\)/,
    );
  });

  it("checks answers: complete, valid, and keeping the givens", () => {
    const q = parseGrid("1...............").grid;
    const good = parseGrid("1234341221434321").grid;
    expect(() => assertAnswerMatches(q, good, s4)).not.toThrow();
    const other = parseGrid("2143341212344321").grid; // valid, but r1c1 is 2
    expect(() => assertAnswerMatches(q, other, s4, { line: 5, field: "answer" })).toThrow(/answer has 2 at r1c1 but the question gives 1/);
    const broken = parseGrid("1234341221434312").grid;
    expect(() => assertAnswerMatches(q, broken, s4)).toThrow(/answer breaks the rules: digit . appears twice/);
    const holey = parseGrid("12.4341221434321").grid;
    expect(() => assertAnswerMatches(q, holey, s4)).toThrow(/answer has a blank at r1c3/);
  });
});
