import { DataFormatError } from "@recurse/core";
import { formatGrid } from "./charset";
import { permutationsOf } from "./permutations";
import type { SudokuShape } from "./shape";
import { SudokuSolver } from "./solver";

/** The canonical representative of a puzzle's class under the augmentation group, and the solution it comes with. */
export interface CanonicalForm {
  /** [N²] canonical puzzle, row-major, 0 blank. */
  puzzle: Uint8Array;
  /** [N²] canonical solution (the box-major minimal relabelled image of the solution). */
  solution: Uint8Array;
}

/**
 * Canonical form of a puzzle with a unique solution under the augmentation group of {@link sampleTransform}:
 * digit relabelling, band/row and stack/column shuffles, and transpose for square boxes. Two puzzles get the same
 * form exactly when one is a transform of the other, so the form (or {@link canonicalKey}) detects training/test
 * leaks that exact string matching misses.
 *
 * How: among all transforms of the *solution*, take the one whose box-major reading (box by box, reading order
 * inside a box) is smallest after relabelling digits in order of first appearance. The top-left box then always
 * reads 1..N, so each choice of that box (transpose, band, stack, its row and column order) is tried. For each,
 * the rest follows greedily: the next box of the top box row is smallest when its stack holds the smallest label of
 * the first row and its columns are in ascending label order (labels in a row are distinct, so the minimum is
 * unique); the next box row likewise from the first column. Transforms that tie are automorphisms of the solution;
 * among them the puzzle picks the one with the smallest row-major puzzle string. Cost per puzzle:
 * 2·N·boxRows!·boxCols! top-left choices of O(N) work each, most pruned after a box or two.
 *
 * @example
 * ```ts
 * const { puzzle } = canonicalForm(question, answer, shapeForSize(9));
 * ```
 */
export function canonicalForm(question: ArrayLike<number>, solution: ArrayLike<number>, shape: SudokuShape): CanonicalForm {
  const { size: n, boxRows: br, boxCols: bc, bands, stacks, cells } = shape;
  const rowPerms = permutationsOf(br);
  const colPerms = permutationsOf(bc);
  const best = new Int32Array(cells);
  let haveBest = false;
  const cur = new Int32Array(cells);
  // Box (0, 0) always reads 1..N after relabelling.
  for (let i = 0; i < n; i++) cur[i] = i + 1;
  const R = new Int32Array(n);
  const C = new Int32Array(n);
  const relabel = new Int32Array(n + 1);
  const ties: Array<{ transpose: boolean; R: Int32Array; C: Int32Array; relabel: Int32Array }> = [];
  const transposed = new Uint8Array(cells);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) transposed[r * n + c] = solution[c * n + r];

  for (const transpose of br === bc ? [false, true] : [false]) {
    const S: ArrayLike<number> = transpose ? transposed : solution;
    for (let b0 = 0; b0 < bands; b0++) {
      for (let s0 = 0; s0 < stacks; s0++) {
        for (const pr of rowPerms) {
          choice: for (const pc of colPerms) {
            for (let r = 0; r < br; r++) R[r] = b0 * br + pr[r];
            for (let j = 0; j < bc; j++) C[j] = s0 * bc + pc[j];
            for (let r = 0; r < br; r++) for (let j = 0; j < bc; j++) relabel[S[R[r] * n + C[j]]] = r * bc + j + 1;
            // cmp: 0 equal to best so far, -1 already smaller (or no best yet).
            let cmp = haveBest ? 0 : -1;
            let pruned = false;
            // Box row 0, boxes 1.. : the next stack is the one holding the smallest label of row R[0] among the
            // unused columns, its columns in ascending label order (labels in a row are distinct, so this is the
            // unique lexicographic minimum of the box).
            let usedStacks = 1 << s0;
            for (let k = 1; k < stacks; k++) {
              let bestCol = -1;
              let bestVal = Infinity;
              const rowBase = R[0] * n;
              for (let col = 0; col < n; col++) {
                if (usedStacks & (1 << Math.floor(col / bc))) continue;
                const v = relabel[S[rowBase + col]];
                if (v < bestVal) {
                  bestVal = v;
                  bestCol = col;
                }
              }
              // The first cell of box (0, 1) is bestVal: already larger than the best means this choice loses.
              if (k === 1 && haveBest && bestVal > best[n]) continue choice;
              const stack = Math.floor(bestCol / bc);
              usedStacks |= 1 << stack;
              sortByLabel(C, k * bc, stack * bc, bc, (col) => relabel[S[rowBase + col]]);
            }
            // The top box row (its first box always reads 1..N): most choices lose here.
            const serialiseBoxRow = (bb: number, fromStack: number): void => {
              for (let ss = fromStack; ss < stacks; ss++) {
                const pos = (bb * stacks + ss) * n;
                for (let r = 0; r < br; r++) {
                  const rowBase = R[bb * br + r] * n;
                  for (let j = 0; j < bc; j++) cur[pos + r * bc + j] = relabel[S[rowBase + C[ss * bc + j]]];
                }
                if (cmp === 0) {
                  cmp = compareAt(cur, best, pos, n);
                  if (cmp > 0) {
                    pruned = true;
                    return;
                  }
                }
              }
            };
            serialiseBoxRow(0, 1);
            if (pruned) continue;
            // Box rows 1.. : the next band holds the smallest label of column C[0] among unused rows, its rows in
            // ascending label order in that column.
            let usedBands = 1 << b0;
            const col0 = C[0];
            for (let k = 1; k < bands && !pruned; k++) {
              let bestRow = -1;
              let bestVal = Infinity;
              for (let row = 0; row < n; row++) {
                if (usedBands & (1 << Math.floor(row / br))) continue;
                const v = relabel[S[row * n + col0]];
                if (v < bestVal) {
                  bestVal = v;
                  bestRow = row;
                }
              }
              const band = Math.floor(bestRow / br);
              usedBands |= 1 << band;
              sortByLabel(R, k * br, band * br, br, (row) => relabel[S[row * n + col0]]);
              serialiseBoxRow(k, 0);
            }
            if (pruned) continue;
            if (cmp < 0) {
              best.set(cur);
              haveBest = true;
              ties.length = 0;
            }
            ties.push({ transpose, R: R.slice(), C: C.slice(), relabel: relabel.slice() });
          }
        }
      }
    }
  }

  // The canonical solution in row-major order, and the tie-broken puzzle.
  const first = ties[0];
  const canonSolution = imageOf(first.transpose ? transposed : solution, first, n);
  const transposedQ = new Uint8Array(cells);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) transposedQ[r * n + c] = question[c * n + r];
  let puzzle: Uint8Array | undefined;
  for (const t of ties) {
    const img = imageOf(t.transpose ? transposedQ : question, t, n);
    if (!puzzle || lessThan(img, puzzle, cells)) puzzle = img;
  }
  return { puzzle: puzzle!, solution: canonSolution };
}

function imageOf(g: ArrayLike<number>, t: { R: Int32Array; C: Int32Array; relabel: Int32Array }, n: number): Uint8Array {
  const out = new Uint8Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) out[r * n + c] = t.relabel[g[t.R[r] * n + t.C[c]]];
  return out;
}

/** Write the `count` lines first..first+count-1 into out[at..] in ascending order of `label(line)`. */
function sortByLabel(out: Int32Array, at: number, first: number, count: number, label: (line: number) => number): void {
  for (let i = 0; i < count; i++) {
    const line = first + i;
    const v = label(line);
    let j = at + i;
    while (j > at && label(out[j - 1]) > v) {
      out[j] = out[j - 1];
      j--;
    }
    out[j] = line;
  }
}

function lessThan(a: ArrayLike<number>, b: ArrayLike<number>, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

/** -1, 0 or 1 comparing a[pos..pos+len) with b[pos..pos+len). */
function compareAt(a: Int32Array, b: Int32Array, pos: number, len: number): number {
  for (let i = pos, end = pos + len; i < end; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/**
 * A string key equal for two puzzles exactly when one is a transform of the other (see {@link canonicalForm}):
 * `"<boxRows>x<boxCols>:"` followed by the canonical puzzle. Without `solution`, the solver finds it; a puzzle
 * without a unique solution has no key and throws {@link DataFormatError}.
 *
 * @example
 * ```ts
 * const seen = new Set(train.map((r) => canonicalKey(r.question, shape, r.answer)));
 * const leaks = test.filter((r) => seen.has(canonicalKey(r.question, shape, r.answer)));
 * ```
 */
export function canonicalKey(question: ArrayLike<number>, shape: SudokuShape, solution?: ArrayLike<number>, solver?: SudokuSolver): string {
  let sol = solution;
  if (!sol) {
    const res = (solver ?? new SudokuSolver(shape)).solve(question);
    if (res.count !== 1) {
      throw new DataFormatError(`puzzle ${formatGrid(question)} has ${res.count === 0 ? "no solution" : "several solutions"}`, {
        field: "puzzle",
        expected: "a puzzle with exactly one solution (the canonical key is defined through it)",
      });
    }
    sol = res.solution!;
  }
  return `${shape.boxRows}x${shape.boxCols}:${formatGrid(canonicalForm(question, sol, shape).puzzle)}`;
}
