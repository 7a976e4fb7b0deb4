import { canonicalKey } from "./canonical";
import type { SudokuShape } from "./shape";
import { SudokuSolver } from "./solver";

/**
 * A cheap string equal for equivalent puzzles (same under every transform of the augmentation group) but not a
 * proof of equivalence: givens count, digit frequencies, the box given-count multiset, and given counts per row and
 * column up to band/row and stack/column order (and their swap when boxes are square). Used to avoid computing
 * canonical keys for puzzles that cannot match.
 *
 * @example
 * ```ts
 * symmetryFingerprint(q, shape) === symmetryFingerprint(applyTransform(q, t, shape), shape); // always true
 * ```
 */
export function symmetryFingerprint(grid: ArrayLike<number>, shape: SudokuShape): string {
  const { size: n, boxRows, boxCols, bands, stacks } = shape;
  const rows = new Int32Array(n);
  const cols = new Int32Array(n);
  const boxes = new Int32Array(n);
  const digits = new Int32Array(n + 1);
  let givens = 0;
  for (let i = 0; i < shape.cells; i++) {
    const d = grid[i];
    if (d === 0) continue;
    givens++;
    digits[d]++;
    rows[shape.rowOf[i]]++;
    cols[shape.colOf[i]]++;
    boxes[shape.boxOf[i]]++;
  }
  const lineSig = (counts: Int32Array, groups: number, per: number) => {
    const parts: string[] = [];
    for (let g = 0; g < groups; g++) parts.push(Array.from(counts.subarray(g * per, (g + 1) * per)).sort((a, b) => a - b).join("."));
    return parts.sort().join("/");
  };
  let rowSig = lineSig(rows, bands, boxRows);
  let colSig = lineSig(cols, stacks, boxCols);
  if (boxRows === boxCols && colSig < rowSig) [rowSig, colSig] = [colSig, rowSig];
  const digitSig = Array.from(digits.subarray(1)).sort((a, b) => a - b).join(".");
  const boxSig = Array.from(boxes).sort((a, b) => a - b).join(".");
  return `${givens}|${digitSig}|${boxSig}|${rowSig}|${colSig}`;
}

interface Entry {
  question: Uint8Array;
  answer: Uint8Array;
  key?: string;
}

/**
 * A set of puzzles up to symmetry: `has` tells whether an equivalent puzzle was added. Fingerprints sort the
 * puzzles into buckets; canonical keys are computed only inside a bucket that a query hits.
 *
 * @example
 * ```ts
 * const seen = new SymmetryIndex(shape);
 * for (const p of train) seen.add(p.question, p.answer);
 * const leaked = test.filter((p) => seen.has(p.question, p.answer));
 * ```
 */
export class SymmetryIndex {
  readonly shape: SudokuShape;
  private readonly buckets = new Map<string, Entry[]>();
  private readonly solver: SudokuSolver;
  private entries = 0;
  /** Canonical keys computed so far (a cost measure). */
  keysComputed = 0;

  constructor(shape: SudokuShape, solver = new SudokuSolver(shape)) {
    this.shape = shape;
    this.solver = solver;
  }

  get size(): number {
    return this.entries;
  }

  private keyOf(e: Entry): string {
    if (e.key === undefined) {
      e.key = canonicalKey(e.question, this.shape, e.answer, this.solver);
      this.keysComputed++;
    }
    return e.key;
  }

  private find(question: Uint8Array, answer: Uint8Array): { bucket: Entry[] | undefined; fp: string; probe: Entry; hit: boolean } {
    const fp = symmetryFingerprint(question, this.shape);
    const bucket = this.buckets.get(fp);
    const probe: Entry = { question, answer };
    if (!bucket) return { bucket, fp, probe, hit: false };
    const key = this.keyOf(probe);
    return { bucket, fp, probe, hit: bucket.some((e) => this.keyOf(e) === key) };
  }

  /** True when an equivalent puzzle is in the set. `answer` is its unique solution. */
  has(question: Uint8Array, answer: Uint8Array): boolean {
    return this.find(question, answer).hit;
  }

  /** Add a puzzle unless an equivalent one is present; returns true when added. */
  add(question: Uint8Array, answer: Uint8Array): boolean {
    const { bucket, fp, probe, hit } = this.find(question, answer);
    if (hit) return false;
    if (bucket) bucket.push(probe);
    else this.buckets.set(fp, [probe]);
    this.entries++;
    return true;
  }
}
