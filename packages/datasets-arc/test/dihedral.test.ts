import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { arbGrid } from "./arbitraries";
import {
  DIHEDRAL_INVERSE,
  dihedral,
  gridFromRows,
  gridHash,
  gridToRows,
  gridsEqual,
  inverseDihedral,
  invertColours,
  mapColours,
  randomColourPermutation,
  type DihedralId,
  type Grid,
} from "@recurse/datasets-arc";
import { Rng } from "@recurse/core";

const IDS: DihedralId[] = [0, 1, 2, 3, 4, 5, 6, 7];

describe("dihedral transforms", () => {
  it("match numpy for a 2x3 grid (rot90 is counter-clockwise; 7 is fliplr(rot90))", () => {
    // Printed by numpy 1.x: rot90(A, k), fliplr, flipud, A.T, fliplr(rot90(A)) for A = [[1,2,3],[4,5,6]].
    const numpy = [
      [[1, 2, 3], [4, 5, 6]],
      [[3, 6], [2, 5], [1, 4]],
      [[6, 5, 4], [3, 2, 1]],
      [[4, 1], [5, 2], [6, 3]],
      [[3, 2, 1], [6, 5, 4]],
      [[4, 5, 6], [1, 2, 3]],
      [[1, 4], [2, 5], [3, 6]],
      [[6, 3], [5, 2], [4, 1]],
    ];
    const a = gridFromRows([[1, 2, 3], [4, 5, 6]]);
    for (const t of IDS) expect(gridToRows(dihedral(a, t))).toEqual(numpy[t]);
  });

  it("follow the spec's index formulas for rot90 and the anti-transpose", () => {
    fc.assert(
      fc.property(arbGrid(12), (a) => {
        const H = a.height;
        const W = a.width;
        const at = (r: number, c: number) => a.cells[r * W + c];
        const b1 = dihedral(a, 1);
        const b7 = dihedral(a, 7);
        for (let i = 0; i < W; i++)
          for (let j = 0; j < H; j++) {
            expect(b1.cells[i * H + j]).toBe(at(j, W - 1 - i));
            expect(b7.cells[i * H + j]).toBe(at(H - 1 - j, W - 1 - i));
          }
      }),
      { numRuns: 50 },
    );
  });

  it("compose as the group: rot90 twice is rot180, three times rot270, and the inverse table undoes each", () => {
    fc.assert(
      fc.property(arbGrid(), (g) => {
        expect(gridsEqual(dihedral(dihedral(g, 1), 1), dihedral(g, 2))).toBe(true);
        expect(gridsEqual(dihedral(dihedral(dihedral(g, 1), 1), 1), dihedral(g, 3))).toBe(true);
        expect(gridsEqual(dihedral(dihedral(g, 1), 4), dihedral(g, 7))).toBe(true);
        for (const t of IDS) {
          expect(gridsEqual(inverseDihedral(dihedral(g, t), t), g)).toBe(true);
          expect(gridsEqual(dihedral(dihedral(g, t), DIHEDRAL_INVERSE[t]), g)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
    expect(DIHEDRAL_INVERSE).toEqual([0, 3, 2, 1, 4, 5, 6, 7]);
  });

  it("gives 8 distinct grids for a grid without symmetry", () => {
    const g = gridFromRows([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    expect(new Set(IDS.map((t) => gridHash(dihedral(g, t)))).size).toBe(8);
  });
});

describe("colour permutations", () => {
  it("keep 0, permute 1..9 and invert exactly", () => {
    const rng = new Rng(3);
    fc.assert(
      fc.property(arbGrid(10), (g) => {
        const perm = randomColourPermutation(rng);
        expect(perm[0]).toBe(0);
        expect([...perm].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        const mapped = mapColours(g, perm);
        for (let i = 0; i < g.cells.length; i++) expect(mapped.cells[i] === 0).toBe(g.cells[i] === 0);
        expect(gridsEqual(mapColours(mapped, invertColours(perm)), g)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
