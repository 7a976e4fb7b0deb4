import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng } from "@recurse/core";
import {
  ARC_SEQ_LEN,
  applyPlan,
  cropGrid,
  decodeGrid,
  encodeGrid,
  findOrigin,
  gridFromRows,
  gridsEqual,
  invertPlan,
  isColourPermutation,
  parseVersionName,
  predictionToOriginal,
  randomOffset,
  versionName,
  type AugmentationPlan,
  type DihedralId,
  type Grid,
} from "@recurse/datasets-arc";
import { arbGrid } from "./arbitraries";

const arbPlan: fc.Arbitrary<AugmentationPlan> = fc
  .record({
    transform: fc.integer({ min: 0, max: 7 }),
    rest: fc.shuffledSubarray([1, 2, 3, 4, 5, 6, 7, 8, 9], { minLength: 9, maxLength: 9 }),
  })
  .map(({ transform, rest }) => ({ transform: transform as DihedralId, colours: Uint8Array.from([0, ...rest]) }));

const at = (tokens: Uint8Array, r: number, c: number) => tokens[r * 30 + c];

describe("30x30 encoding", () => {
  it("writes colours + 2, EOS below and right of the grid, PAD in the corner and elsewhere", () => {
    const g = gridFromRows([[0, 9], [5, 1], [3, 3]]);
    const t = encodeGrid(g);
    expect(t.length).toBe(ARC_SEQ_LEN);
    expect([at(t, 0, 0), at(t, 0, 1), at(t, 1, 0), at(t, 1, 1), at(t, 2, 0)]).toEqual([2, 11, 7, 3, 5]);
    expect([at(t, 0, 2), at(t, 1, 2), at(t, 2, 2)]).toEqual([1, 1, 1]);
    expect([at(t, 3, 0), at(t, 3, 1)]).toEqual([1, 1]);
    expect(at(t, 3, 2)).toBe(0);
    let nonPad = 0;
    for (const v of t) if (v !== 0) nonPad++;
    expect(nonPad).toBe(6 + 3 + 2);
  });

  it("omits EOS outside the canvas and translates with the same frame", () => {
    const full = encodeGrid(gridFromRows(Array.from({ length: 30 }, () => new Array(30).fill(4))));
    expect(full.every((v) => v === 6)).toBe(true);
    const t = encodeGrid(gridFromRows([[1, 2]]), { row: 29, col: 27 });
    expect([at(t, 29, 27), at(t, 29, 28), at(t, 29, 29)]).toEqual([3, 4, 1]);
    expect(t.reduce((s, v) => s + (v !== 0 ? 1 : 0), 0)).toBe(3);
    expect(() => encodeGrid(gridFromRows([[1, 2]]), { row: 0, col: 29 })).toThrow(RangeError);
  });

  it("crops as the reference: the largest top-left rectangle of colour tokens", () => {
    const t = new Uint8Array(900);
    // Row 0 has 4 colours, row 1 has 3, row 2 has 3, row 3 has 1: areas 4, 6, 9, 4, so 3 rows x 3 columns.
    for (const [r, n] of [[0, 4], [1, 3], [2, 5], [3, 1]]) for (let c = 0; c < n; c++) t[r * 30 + c] = 2 + ((r + c) % 10);
    const g = cropGrid(t);
    expect([g.height, g.width]).toEqual([3, 3]);
    expect(Array.from(g.cells)).toEqual([0, 1, 2, 1, 2, 3, 2, 3, 4]);
    // A token above 11 also stops the scan; a non-colour top-left token gives an empty grid.
    t[1] = 12;
    expect(cropGrid(t).width).toBe(1);
    t[0] = 1;
    expect([cropGrid(t).height, cropGrid(t).width]).toEqual([0, 0]);
  });

  it("finds the origin of a translated grid", () => {
    const g = gridFromRows([[1, 2], [3, 4]]);
    expect(findOrigin(encodeGrid(g, { row: 4, col: 7 }))).toEqual({ row: 4, col: 7 });
    expect(findOrigin(new Uint8Array(900))).toEqual({ row: 0, col: 0 });
  });

  it("draws translations that keep both grids of a pair inside the canvas", () => {
    const rng = new Rng(11);
    const a = gridFromRows(Array.from({ length: 7 }, () => new Array(28).fill(1)));
    const b = gridFromRows(Array.from({ length: 25 }, () => new Array(3).fill(1)));
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const o = randomOffset(a, b, rng);
      expect(o.row).toBeGreaterThanOrEqual(0);
      expect(o.row).toBeLessThanOrEqual(5);
      expect(o.col).toBeGreaterThanOrEqual(0);
      expect(o.col).toBeLessThanOrEqual(2);
      seen.add(`${o.row},${o.col}`);
    }
    expect(seen.size).toBe(6 * 3);
  });
});

describe("every augmentation has an exact inverse", () => {
  it("decode(inverse(augment(x))) == x for all 8 dihedral x colour x translation cases", () => {
    fc.assert(
      fc.property(arbGrid(), arbPlan, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (x, plan, seed) => {
        const augmented = applyPlan(x, plan);
        const offset = randomOffset(augmented, augmented, new Rng(seed));
        const tokens = encodeGrid(augmented, offset);
        expect(gridsEqual(invertPlan(decodeGrid(tokens), plan), x)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("covers each of the 8 transforms explicitly, with a name round trip and the evaluator's inverse", () => {
    const rng = new Rng(5);
    fc.assert(
      fc.property(arbGrid(), arbPlan, (x, drawn) => {
        for (let t = 0; t < 8; t++) {
          const plan = { ...drawn, transform: t as DihedralId };
          const name = versionName("007bbfb7", plan);
          const parsed = parseVersionName(name);
          expect(parsed.puzzleId).toBe("007bbfb7");
          expect(parsed.plan!.transform).toBe(t);
          expect(Array.from(parsed.plan!.colours)).toEqual(Array.from(plan.colours));
          const augmented = applyPlan(x, plan);
          // Translated (training examples) and untranslated (test examples, what the evaluator sees).
          const shifted = encodeGrid(augmented, randomOffset(augmented, augmented, rng));
          expect(gridsEqual(invertPlan(decodeGrid(shifted), parsed.plan!), x)).toBe(true);
          expect(gridsEqual(predictionToOriginal(name, encodeGrid(augmented)), x)).toBe(true);
          expect(gridsEqual(predictionToOriginal(plan, encodeGrid(augmented)), x)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("version names", () => {
  it("use the TRM form and parse originals, HRM names and bad names", () => {
    const plan: AugmentationPlan = { transform: 6, colours: Uint8Array.from([0, 3, 1, 2, 4, 5, 6, 7, 9, 8]) };
    expect(versionName("ExtractObjects10", plan)).toBe("ExtractObjects10|||t6|||0312456798");
    expect(versionName("ExtractObjects10", null)).toBe("ExtractObjects10");
    expect(parseVersionName("ExtractObjects10")).toEqual({ puzzleId: "ExtractObjects10", plan: null });
    const hrm = parseVersionName("00576224_t2_0123456798");
    expect(hrm.puzzleId).toBe("00576224");
    expect(hrm.plan!.transform).toBe(2);
    expect(isColourPermutation(hrm.plan!.colours)).toBe(true);
    expect(() => parseVersionName("a|||t9|||0123456789")).toThrow(/cannot parse puzzle version name/);
    expect(() => parseVersionName("a|||t1|||0123456788")).toThrow(/permutation of the digits/);
    expect(() => parseVersionName("a|||0123456789")).toThrow();
  });

  it("maps a prediction of an original puzzle with the crop only", () => {
    const x: Grid = gridFromRows([[3, 0], [0, 3]]);
    expect(gridsEqual(predictionToOriginal(null, encodeGrid(x)), x)).toBe(true);
    expect(gridsEqual(predictionToOriginal("abc", encodeGrid(x)), x)).toBe(true);
  });
});
