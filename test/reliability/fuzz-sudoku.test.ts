/**
 * Sudoku parsers under hostile input: random text, valid CSVs and line banks with characters edited, and files of
 * random or mutated bytes read through SudokuFile. An accepted record must follow the rules (givens without
 * conflicts, a present answer complete, valid and keeping the givens), checked independently of the parser; a
 * refused one is a DataFormatError naming the file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataFormatError } from "@recurse/core";
import { parseSudokuCsv, parseSudokuLines, parseSudokuText, readSudokuFile, SudokuFile, type SudokuRecord } from "@recurse/datasets-sudoku";
import { Ledger } from "./support/ledger";
import { applyByteEdits, byteEdits, seedOf } from "./support/mutate";

const ledger = new Ledger("Sudoku");
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recurse-fuzz-sudoku-"));
});
afterAll(async () => {
  ledger.print();
  await rm(dir, { recursive: true, force: true });
});

const DIGITS = "123456789ABCDEFG";
const BOXES: [number, number][] = [[2, 2], [2, 3], [3, 3]];

/** A valid solution of an N×N grid with br×bc boxes (the standard shifted pattern), digits relabelled by `perm`. */
function solution(br: number, bc: number, seed: number): number[] {
  const n = br * bc;
  const perm = Array.from({ length: n }, (_, i) => i + 1);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  const out: number[] = [];
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) out.push(perm[(bc * (r % br) + Math.floor(r / br) + c) % n]);
  return out;
}

const puzzleArb = fc
  .record({ box: fc.constantFrom(...BOXES), seed: fc.nat(), blanks: fc.double({ min: 0, max: 0.8, noNaN: true }) })
  .map(({ box: [br, bc], seed, blanks }) => {
    const answer = solution(br, bc, seed);
    let s = seed ^ 0x9e3779b9;
    const question = answer.map((d) => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32 < blanks ? 0 : d;
    });
    const text = (g: number[]) => g.map((d) => (d === 0 ? "." : DIGITS[d - 1])).join("");
    return { question: text(question), answer: text(answer) };
  });

/** Sudoku rules, independently of the package: no digit twice in a row, column or box; answer keeps givens. */
function followsRules(rec: SudokuRecord): boolean {
  const { boxRows: br, boxCols: bc, size: n } = rec.shape;
  const ok = (g: Uint8Array, complete: boolean) => {
    if (g.length !== n * n) return false;
    for (let u = 0; u < n; u++) {
      const seen = [new Set<number>(), new Set<number>(), new Set<number>()];
      for (let k = 0; k < n; k++) {
        const cells = [u * n + k, k * n + u, (Math.floor(u / (n / bc)) * br + Math.floor(k / bc)) * n + (u % (n / bc)) * bc + (k % bc)];
        for (let t = 0; t < 3; t++) {
          const d = g[cells[t]];
          if (d > n) return false;
          if (d === 0) {
            if (complete) return false;
            continue;
          }
          if (seen[t].has(d)) return false;
          seen[t].add(d);
        }
      }
    }
    return true;
  };
  if (!ok(rec.question, false)) return false;
  if (rec.answer && (!ok(rec.answer, true) || rec.question.some((d, i) => d !== 0 && d !== rec.answer![i]))) return false;
  return true;
}

function checkRecords(records: SudokuRecord[] | undefined): void {
  for (const r of records ?? []) expect(followsRules(r), `record at line ${r.line}`).toBe(true);
}

/** Edit characters of a text: replace, insert or delete, with characters that matter to the formats. */
const charEdit = fc.record({
  kind: fc.constantFrom("replace", "insert", "delete"),
  at: fc.nat(),
  ch: fc.oneof(fc.constantFrom(".", "0", "1", "9", "A", "G", "H", ",", '"', "\n", "\r", "#", " ", "\t", "\ufeff", "\u0000", "é"), fc.string({ minLength: 1, maxLength: 1 })),
});
function editText(text: string, edits: { kind: string; at: number; ch: string }[]): string {
  let t = text;
  for (const e of edits) {
    const i = t.length === 0 ? 0 : e.at % t.length;
    if (e.kind === "replace") t = t.slice(0, i) + e.ch + t.slice(i + 1);
    else if (e.kind === "insert") t = t.slice(0, i) + e.ch + t.slice(i);
    else t = t.slice(0, i) + t.slice(i + 1);
  }
  return t;
}

const FILE = "data/sudoku/train.csv";

describe("Sudoku text parsers", () => {
  it("random text is parsed into rule-following records or refused naming the file", () => {
    const text = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: fc.constantFrom(..."0123456789.,\n #\"ABCqa"), maxLength: 300 }));
    fc.assert(
      fc.property(text, (t) => {
        checkRecords(ledger.run("parseSudokuText: random text", { names: FILE, errorClass: DataFormatError }, () => parseSudokuText(t, { file: FILE })));
        checkRecords(ledger.run("parseSudokuLines: random text", { names: FILE, errorClass: DataFormatError }, () => parseSudokuLines(t, { file: FILE })));
        checkRecords(ledger.run("parseSudokuCsv: random text", { names: FILE, errorClass: DataFormatError }, () => parseSudokuCsv(t, { file: FILE })));
      }),
      { seed: seedOf("sudoku random"), numRuns: 2000 },
    );
  });

  it("valid CSVs with characters edited keep every accepted record within the rules", () => {
    fc.assert(
      fc.property(fc.array(puzzleArb, { minLength: 1, maxLength: 3 }), fc.array(charEdit, { minLength: 1, maxLength: 3 }), fc.boolean(), (puzzles, edits, crlf) => {
        const size = puzzles[0].question.length;
        const rows = puzzles.filter((p) => p.question.length === size).map((p, i) => `src${i},${p.question},${p.answer},${i}.5`);
        const nl = crlf ? "\r\n" : "\n";
        const valid = ["source,question,answer,rating", ...rows].join(nl) + nl;
        expect(parseSudokuCsv(valid, { file: FILE }).length).toBe(rows.length);
        const text = editText(valid, edits);
        checkRecords(ledger.run("parseSudokuCsv: edited valid CSV", { names: FILE, fault: text !== valid, errorClass: DataFormatError }, () => parseSudokuCsv(text, { file: FILE })));
      }),
      { seed: seedOf("sudoku csv"), numRuns: 3000 },
    );
  });

  it("valid line banks with characters edited keep every accepted record within the rules", () => {
    fc.assert(
      fc.property(fc.array(puzzleArb, { minLength: 1, maxLength: 3 }), fc.array(charEdit, { minLength: 1, maxLength: 3 }), (puzzles, edits) => {
        const size = puzzles[0].question.length;
        const lines = puzzles.filter((p) => p.question.length === size).map((p, i) => (i % 2 ? `id${i} ${p.question} ${p.answer} 3` : p.question));
        const valid = "# bank\n" + lines.join("\n") + "\n";
        const text = editText(valid, edits);
        checkRecords(ledger.run("parseSudokuLines: edited valid bank", { names: "bank.txt", fault: text !== valid, errorClass: DataFormatError }, () => parseSudokuLines(text, { file: "bank.txt" })));
      }),
      { seed: seedOf("sudoku lines"), numRuns: 3000 },
    );
  });

  it("pathological lines: many grid-sized tokens, a megabyte line, unterminated quotes, NUL bytes", () => {
    const q = solution(2, 2, 1).join("");
    const cases: [string, string][] = [
      ["200k grid-sized tokens", (q + " ").repeat(200_000)],
      ["a 4 MB token", "1".repeat(4_000_000)],
      ["unterminated quote", 'source,question\n"x,' + q],
      ["quote then text", 'source,question\n"x"y,' + q],
      ["NUL bytes", `\u0000${q}\u0000`],
      ["only a header", "question,answer\n"],
      ["header without question", "a,b,c\n1,2,3\n"],
    ];
    for (const [label, text] of cases) {
      checkRecords(ledger.run("parseSudokuText: pathological lines", { names: FILE, fault: true, errorClass: DataFormatError }, () => parseSudokuText(text, { file: FILE })));
      expect(label).toBeTruthy();
    }
  });
});

describe("Sudoku files", () => {
  it("files of mutated bytes read through SudokuFile keep every accepted record within the rules", async () => {
    let i = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(puzzleArb, { minLength: 1, maxLength: 3 }), byteEdits(3), fc.boolean(), async (puzzles, edits, csv) => {
        const size = puzzles[0].question.length;
        const same = puzzles.filter((p) => p.question.length === size);
        const valid = csv ? ["source,question,answer,rating", ...same.map((p) => `s,${p.question},${p.answer},1`)].join("\n") + "\n" : same.map((p) => `${p.question} ${p.answer}`).join("\n") + "\n";
        const file = join(dir, `f${i++ % 8}.${csv ? "csv" : "txt"}`);
        await writeFile(file, applyByteEdits(new TextEncoder().encode(valid), edits));
        checkRecords(await ledger.runAsync("readSudokuFile: mutated bytes", { names: file, fault: true, errorClass: DataFormatError }, () => readSudokuFile(file)));
      }),
      { seed: seedOf("sudoku files"), numRuns: 300 },
    );
  });

  it("a missing file and a directory are DataFormatErrors naming the path", async () => {
    for (const path of [join(dir, "missing.csv"), dir]) {
      await ledger.runAsync("SudokuFile.open: unreadable path", { names: path, fault: true, mustReject: true, errorClass: DataFormatError }, () => SudokuFile.open(path));
    }
  });
});
