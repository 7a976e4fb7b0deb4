import { describe, expect, it } from "vitest";
import { DataFormatError, type PuzzleDatasetMetadata } from "@recurse/core";
import { ARC_PALETTE, arc, arcDataset, encodeGrid, gridFromRows, renderGrid, renderTokens, xterm256 } from "@recurse/datasets-arc";

const meta = (over: Partial<PuzzleDatasetMetadata>): PuzzleDatasetMetadata => ({
  padId: 0,
  ignoreLabelId: 0,
  blankIdentifierId: 0,
  vocabSize: 12,
  seqLen: 900,
  numPuzzleIdentifiers: 2,
  totalGroups: 1,
  meanPuzzleExamples: 1,
  sets: ["all"],
  ...over,
});

describe("the arc plugin", () => {
  it("is a plain plugin object with the arc dataset kind", () => {
    expect(arc.name).toBe("@recurse/datasets-arc");
    expect(arc.datasets?.map((d) => d.id)).toEqual(["arc"]);
  });

  it("fills build defaults and rejects bad options", () => {
    const o = arcDataset.buildSchema.parse({ inputs: ["a"], out: "b" });
    expect(o).toEqual({ inputs: ["a"], out: "b", testSet: "evaluation", augmentations: 1000, leakFree: false, seed: 42, translate: true });
    expect(arcDataset.buildSchema.safeParse({ inputs: [], out: "b" }).success).toBe(false);
    expect(arcDataset.buildSchema.safeParse({ inputs: ["a"], out: "b", augmentations: -1 }).success).toBe(false);
    expect(arcDataset.buildSchema.safeParse({ inputs: ["a"], out: "b", bogus: 1 }).success).toBe(false);
  });

  it("detects ARC datasets, ours and the reference builders'", () => {
    expect(arcDataset.detect(meta({ recurse: { dataset: "arc" } }))).toBe(true);
    expect(arcDataset.detect(meta({ recurse: { dataset: "sudoku" } }))).toBe(false);
    expect(arcDataset.detect(meta({}))).toBe(true);
    expect(arcDataset.detect(meta({ vocabSize: 6 }))).toBe(false); // mazes
    expect(arcDataset.detect(meta({ seqLen: 81, vocabSize: 11 }))).toBe(false);
  });

  it("parses typed grids into 900 tokens and names bad cells", () => {
    const t = arcDataset.parsePuzzle!("[[0, 1], [2, 3]]", meta({}));
    expect(t).toBeInstanceOf(Int32Array);
    expect(Array.from(t.subarray(0, 3))).toEqual([2, 3, 1]);
    expect(Array.from(t.subarray(30, 33))).toEqual([4, 5, 1]);
    expect(Array.from(arcDataset.parsePuzzle!('{"input": [[7]]}', meta({})).subarray(0, 2))).toEqual([9, 1]);
    expect(() => arcDataset.parsePuzzle!("[[0, 12]]", meta({}))).toThrow(/row 0 column 1: is 12/);
    expect(() => arcDataset.parsePuzzle!("[[0,", meta({}))).toThrow(DataFormatError);
  });
});

describe("rendering", () => {
  it("draws plain digits with the EOS frame when colour is off", () => {
    const tokens = encodeGrid(gridFromRows([[3, 4], [0, 9]]), { row: 2, col: 5 });
    expect(arcDataset.render(tokens, meta({}), { color: false })).toBe("3 4 |\n0 9 |\n- - .");
    expect(renderGrid(gridFromRows([[1, 2]]))).toBe("1 2");
    expect(renderTokens(new Uint8Array(900))).toBe("(empty canvas)");
  });

  it("uses the ARC palette as 24-bit or 256-colour backgrounds", () => {
    expect(ARC_PALETTE).toEqual(["#000000", "#0074D9", "#FF4136", "#2ECC40", "#FFDC00", "#AAAAAA", "#F012BE", "#FF851B", "#7FDBFF", "#870C25"]);
    const g = gridFromRows([[2, 0]]);
    const truecolor = renderGrid(g, { color: true });
    expect(truecolor).toContain("\x1b[48;2;255;65;54m"); // red
    expect(truecolor).toContain("\x1b[48;2;0;0;0m");
    expect(truecolor.endsWith("\x1b[0m")).toBe(true);
    const c256 = renderGrid(g, { color: true, colorDepth: 8 });
    expect(c256).toContain(`\x1b[48;5;${xterm256(2)}m`);
    expect(xterm256(0)).toBe(16);
    expect(arcDataset.render(encodeGrid(g), meta({}), { color: true })).toMatch(/\x1b\[48;(2|5);/);
  });
});

describe("registry integration", () => {
  it("registers with createRegistry", async () => {
    const { createRegistry } = await import("@recurse/core");
    const registry = createRegistry().use(arc);
    expect(registry.datasets.get("arc")).toBe(arcDataset);
  });
});
