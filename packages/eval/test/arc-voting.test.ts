import { describe, expect, it } from "vitest";
import { arcSubmission, arcVotingEvaluator, gridHash, passAtK, voteArc, type Grid, type PredictionInverter } from "@recurse/eval";
import type { EvaluationOutput } from "@recurse/core";
import { metadata } from "./build-output";

// A toy ARC encoding, independent of the ARC dataset package: 2×2 grids, token = colour + 2, row-major (L = 4).
// Versions of a puzzle: "P" (original), "P|t" (transposed), "P|s" (colours 1 and 2 swapped), "P|ts" (both).
const transpose = (g: Grid): Grid => g[0].map((_, c) => g.map((row) => row[c]));
const swap = (g: Grid): Grid => g.map((row) => row.map((v) => (v === 1 ? 2 : v === 2 ? 1 : v)));
const forward = (g: Grid, version: string): Grid => {
  let out = g;
  if (version.includes("t")) out = transpose(out);
  if (version.includes("s")) out = swap(out);
  return out;
};
const encode = (g: Grid) => g.flat().map((v) => v + 2);
const inverter: PredictionInverter = {
  originalName: (id) => id.split("|")[0],
  toOriginalGrid(tokens, id) {
    const version = id.split("|")[1] ?? "";
    let g: Grid = [Array.from(tokens.slice(0, 2), (v) => v - 2), Array.from(tokens.slice(2, 4), (v) => v - 2)];
    if (version.includes("s")) g = swap(g);
    if (version.includes("t")) g = transpose(g);
    return g;
  },
};

const identifiers = ["<blank>", "A", "A|t", "A|s", "A|ts", "B", "B|t", "B|s", "C", "C|t"];
const grid = (a: number, b: number, c: number, d: number): Grid => [[a, b], [c, d]];

// Original-frame grids. Each test input has a distinct input; predictions are written in the original frame and
// encoded through the version's forward transform, so only a correct inversion groups them.
const inA1 = grid(1, 0, 0, 0), inA2 = grid(1, 2, 0, 3), inB1 = grid(2, 1, 1, 0), inC1 = grid(4, 0, 1, 2);
const P1 = grid(1, 1, 0, 0), P2 = grid(2, 0, 0, 2);
const Q1 = grid(3, 1, 0, 0), Q2 = grid(0, 0, 1, 3);
const R1 = grid(1, 2, 1, 2), R2 = grid(2, 2, 1, 0);
const S1 = grid(5, 5, 5, 1), S9 = grid(9, 9, 9, 9);

interface Ex { id: string; input: Grid; label: Grid; pred: Grid; q: number }
// Hand-derived ranks:
//  A/test 1 (label P2): P2 from A|t, A|ts (q 0, 0); P1 from A, A|s (q 0, 0): a full tie, first seen (the A|t row,
//    the second row of the output) wins -> [P2, P1]
//  A/test 2 (label Q1): Q2 from A|t, A|s (q 1, 1); Q1 from A, A|ts (q -2, -2): a count tie, q decides -> [Q2, Q1]
//  B/test 1 (label R2): R1 from B, B|s (count 2, q -1); R2 from B|t (count 1, q 4): count first -> [R1, R2]
//  C/test 1 (label S9): only S1 -> [S1]
// A's augmented rows come first so that test order must come from the original version's rows, not first sight.
const examples: Ex[] = [
  { id: "A|t", input: inA2, label: Q1, pred: Q2, q: 1 },
  { id: "A|t", input: inA1, label: P2, pred: P2, q: 0 },
  { id: "A", input: inA1, label: P2, pred: P1, q: 0 },
  { id: "A", input: inA2, label: Q1, pred: Q1, q: -2 },
  { id: "A|s", input: inA1, label: P2, pred: P1, q: 0 },
  { id: "A|s", input: inA2, label: Q1, pred: Q2, q: 1 },
  { id: "A|ts", input: inA1, label: P2, pred: P2, q: 0 },
  { id: "A|ts", input: inA2, label: Q1, pred: Q1, q: -2 },
  { id: "B", input: inB1, label: R2, pred: R1, q: -1 },
  { id: "B|t", input: inB1, label: R2, pred: R2, q: 4 },
  { id: "B|s", input: inB1, label: R2, pred: R1, q: -1 },
  { id: "C", input: inC1, label: S9, pred: S1, q: 2 },
  { id: "C|t", input: inC1, label: S9, pred: S1, q: 3 },
];

function build(list: Ex[], blankRows = 1): EvaluationOutput {
  const rows = list.map((e) => {
    const v = e.id.split("|")[1] ?? "";
    return { id: identifiers.indexOf(e.id), input: encode(forward(e.input, v)), label: encode(forward(e.label, v)), pred: encode(forward(e.pred, v)), q: e.q };
  });
  // Padding rows as the evaluation loader adds them: blank identifier, PAD inputs, ignored labels, garbage answers.
  for (let b = 0; b < blankRows; b++) rows.push({ id: 0, input: [0, 0, 0, 0], label: [-100, -100, -100, -100], pred: [7, 7, 7, 7], q: 9 });
  return {
    numExamples: rows.length,
    seqLen: 4,
    inputs: Int32Array.from(rows.flatMap((r) => r.input)),
    labels: Int32Array.from(rows.flatMap((r) => r.label)),
    puzzleIds: Int32Array.from(rows.map((r) => r.id)),
    predictions: Int32Array.from(rows.flatMap((r) => r.pred)),
    qHalt: Float32Array.from(rows.map((r) => r.q)),
    stepsTaken: new Int32Array(rows.length).fill(16),
  };
}

const meta = metadata({ seqLen: 4, vocabSize: 12, numPuzzleIdentifiers: identifiers.length });
const options = { inverter, identifiers, blankIdentifierId: 0, padId: 0, ignoreLabelId: 0 };
const sig = (x: number) => 1 / (1 + Math.exp(-x));

describe("ARC voting", () => {
  const votes = voteArc(build(examples), options);

  it("groups by original puzzle and original-frame test input, in the original version's test order", () => {
    expect(votes.predictions).toBe(examples.length); // the blank row is skipped
    expect(votes.puzzles.map((p) => p.puzzle)).toEqual(["A", "B", "C"]);
    expect(votes.puzzles[0].tests.map((t) => t.inputHash)).toEqual([gridHash(inA1), gridHash(inA2)]);
    expect(votes.puzzles[0].tests.map((t) => t.label)).toEqual([P2, Q1]);
    expect(votes.labelConflicts).toBe(0);
  });

  it("ranks by count, then mean sigmoid(q_halt), then first seen", () => {
    const ranked = votes.puzzles.map((p) => p.tests.map((t) => t.candidates.map((c) => [c.grid, c.count])));
    expect(ranked).toEqual([
      [
        [[P2, 2], [P1, 2]],
        [[Q2, 2], [Q1, 2]],
      ],
      [[[R1, 2], [R2, 1]]],
      [[[S1, 2]]],
    ]);
    const q2 = votes.puzzles[0].tests[1].candidates[0];
    expect(q2.meanQ).toBeCloseTo(sig(1), 6);
    expect(votes.puzzles[2].tests[0].candidates[0].meanQ).toBeCloseTo((sig(2) + sig(3)) / 2, 6);
  });

  it("pass@k under TRM's fractional rule and HRM's all-test-inputs rule", () => {
    const s = passAtK(votes.puzzles, [1, 2, 5]);
    // k=1: A has test 1 right, test 2 wrong; B wrong; C wrong.  k>=2: A both right, B right, C never.
    expect(s.fractional).toEqual({ 1: 0.5 / 3, 2: 2 / 3, 5: 2 / 3 });
    expect(s.allTests).toEqual({ 1: 0, 2: 2 / 3, 5: 2 / 3 });
    expect(s).toMatchObject({ puzzles: 3, testInputs: 4, unscoredPuzzles: 0 });
  });

  it("writes submission.json with two attempts per test input, padded with the first", () => {
    const sub = arcSubmission(votes.puzzles);
    expect(sub).toEqual({
      A: [
        { attempt_1: P2, attempt_2: P1 },
        { attempt_1: Q2, attempt_2: Q1 },
      ],
      B: [{ attempt_1: R1, attempt_2: R2 }],
      C: [{ attempt_1: S1, attempt_2: S1 }],
    });
    expect(JSON.parse(JSON.stringify(sub))).toEqual(sub);
  });

  it("takes ground truth and the puzzle list from test_puzzles.json when given", () => {
    const testPuzzles = {
      A: { test: [{ input: inA1, output: P1 }, { input: inA2, output: Q2 }] },
      B: { test: [{ input: inB1, output: R2 }] },
      D: { test: [{ input: grid(1, 1, 1, 1), output: grid(2, 2, 2, 2) }] }, // nothing predicted it
    };
    const v = voteArc(build(examples), { ...options, testPuzzles });
    expect(v.missingTestInputs).toBe(1);
    // With these labels: A test 1 at rank 2 (P1), test 2 at rank 1 (Q2); B at rank 2; D never; C is not listed.
    const s = passAtK(v.puzzles, [1, 2]);
    expect(s.fractional).toEqual({ 1: 0.5 / 3, 2: 2 / 3 });
    expect(s.allTests).toEqual({ 1: 0, 2: 2 / 3 });
    expect(arcSubmission(v.puzzles).D).toEqual([{ attempt_1: [[0]], attempt_2: [[0]] }]);
  });

  it("counts label conflicts between versions and leaves puzzles without labels unscored", () => {
    const broken = examples.map((e) => (e.id === "B|t" ? { ...e, label: R1 } : e));
    expect(voteArc(build(broken), options).labelConflicts).toBe(1);
    const out = build(examples);
    // Hide every label of puzzle C: it can no longer be scored, but still gets submission attempts.
    const cIds = new Set([identifiers.indexOf("C"), identifiers.indexOf("C|t")]);
    out.puzzleIds.forEach((id, i) => {
      if (cIds.has(id)) out.labels.fill(-100, i * 4, i * 4 + 4);
    });
    const v = voteArc(out, options);
    const s = passAtK(v.puzzles, [2]);
    expect(s).toMatchObject({ puzzles: 2, unscoredPuzzles: 1, fractional: { 2: 1 }, allTests: { 2: 1 } });
    expect(arcSubmission(v.puzzles).C).toEqual([{ attempt_1: S1, attempt_2: S1 }]);
  });

  it("as an evaluator: flat pass@k metrics, counts and the submission artifact", () => {
    const arc = arcVotingEvaluator({ inverter, passKs: [1, 2] });
    const r = arc.evaluate(build(examples), { metadata: meta, identifiers });
    expect(r).toMatchObject({
      "pass@1": 0.5 / 3,
      "pass@2": 2 / 3,
      "pass@1_all": 0,
      "pass@2_all": 2 / 3,
      puzzles: 3,
      test_inputs: 4,
      predictions: 13,
      label_conflicts: 0,
    });
    expect((r.artifacts as any)["submission.json"].B).toEqual([{ attempt_1: R1, attempt_2: R2 }]);
    expect(() => arc.evaluate(build(examples), { metadata: meta })).toThrow(/identifiers\.json/);
    expect(() => arcVotingEvaluator({ inverter, passKs: [0] })).toThrow(/positive integers/);
  });

  it("applies to ARC datasets only, by default", () => {
    const arc = arcVotingEvaluator({ inverter });
    expect(arc.appliesTo!(metadata({ recurse: { dataset: "arc" } }))).toBe(true);
    expect(arc.appliesTo!(metadata({ recurse: { dataset: "sudoku" } }))).toBe(false);
    expect(arc.appliesTo!(metadata({ seqLen: 900, vocabSize: 12 }))).toBe(true); // built by the reference
    expect(arc.appliesTo!(metadata({ seqLen: 81, vocabSize: 11 }))).toBe(false);
  });

  it("names the file when an identifier id has no name", () => {
    const out = build(examples);
    out.puzzleIds[0] = 42;
    expect(() => voteArc(out, options)).toThrow(/identifiers\.json: \[42\]/);
  });
});
