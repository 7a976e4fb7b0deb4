import { describe, expect, it } from "vitest";
import { DataFormatError } from "@recurse/core";
import { gridFromRows, gridHash, gridToRows, gridsEqual, validateGrid } from "@recurse/datasets-arc";

const at = { file: "tasks/abc.json", puzzle: "abc", split: "test" as const, pair: 1, side: "output" as const };

function failure(value: unknown): DataFormatError {
  try {
    validateGrid(value, at);
  } catch (e) {
    expect(e).toBeInstanceOf(DataFormatError);
    return e as DataFormatError;
  }
  throw new Error("expected a DataFormatError");
}

describe("validateGrid", () => {
  it("accepts rectangular grids of 1..30 sides and colours 0..9", () => {
    const g = validateGrid([[0, 9, 3], [1, 2, 4]], at);
    expect([g.height, g.width]).toEqual([2, 3]);
    expect(gridToRows(g)).toEqual([[0, 9, 3], [1, 2, 4]]);
    const big = Array.from({ length: 30 }, () => new Array(30).fill(7));
    expect(validateGrid(big).cells.length).toBe(900);
  });

  it("names the file, puzzle, pair, side, row and column of a bad cell", () => {
    const e = failure([[0, 1], [2, 10]]);
    expect(e.location.file).toBe("tasks/abc.json");
    expect(e.location.field).toBe("puzzle abc test[1].output row 1 column 1");
    expect(e.message).toContain("tasks/abc.json: puzzle abc test[1].output row 1 column 1: is 10");
    expect(e.message).toContain("integer colour 0..9");
    expect(failure([[0, 1.5]]).location.field).toBe("puzzle abc test[1].output row 0 column 1");
    expect(failure([[0, "3"]]).message).toContain('is "3"');
    expect(failure([[-1]]).location.field).toContain("row 0 column 0");
    expect(failure([[null]]).message).toContain("is null");
  });

  it("rejects ragged, empty, oversized and non-list grids", () => {
    expect(failure([[0, 1], [2]]).message).toContain("row 1: has 1 columns but row 0 has 2");
    expect(failure([]).message).toContain("has 0 rows");
    expect(failure([[]]).message).toContain("has 0 columns");
    expect(failure(Array.from({ length: 31 }, () => [0])).message).toContain("has 31 rows");
    expect(failure([new Array(31).fill(0)]).message).toContain("has 31 columns");
    expect(failure({ rows: [] }).message).toContain("is an object, not a list of rows");
    expect(failure([[0], 5]).location.field).toBe("puzzle abc test[1].output row 1");
  });
});

describe("grid helpers", () => {
  it("compares and hashes as the reference grid_hash", () => {
    const a = gridFromRows([[1, 2, 3]]);
    const b = gridFromRows([[1], [2], [3]]);
    expect(gridsEqual(a, gridFromRows([[1, 2, 3]]))).toBe(true);
    expect(gridsEqual(a, b)).toBe(false);
    // Same cells, different shape: the shape bytes make the hashes differ.
    expect(gridHash(a)).not.toBe(gridHash(b));
    // sha256(bytes([1, 3, 1, 2, 3])), from Python: hashlib.sha256(bytes([1, 3, 1, 2, 3])).hexdigest().
    expect(gridHash(a)).toBe("5be270ae03638713738dc4fb5718ef978d6bede3d379292d4c052e059ce54989");
  });
});
