import { describe, expect, it } from "vitest";
import { haltingEvaluator, haltingStats, stepCurveEvaluator } from "@recurse/eval";
import { X, buildOutput, metadata } from "./build-output";

// Three supervision steps over four examples (L = 3); row 2 has no labels and is left out everywhere.
// Right tokens per step, counted by hand (ignored positions never count):
//   step 1: row0 1/3, row1 1/2, row3 0/3  -> exact 0/3, token (1/3 + 1/2 + 0)/3
//   step 2: row0 3/3, row1 1/2, row3 2/3  -> exact 1/3, token (1 + 1/2 + 2/3)/3
//   step 3: row0 3/3, row1 2/2, row3 2/3  -> exact 2/3, token (1 + 1 + 2/3)/3
const labels = [
  [1, 2, 3],
  [4, 5, X],
  [X, X, X],
  [6, 7, 8],
];
const steps = [
  { pred: [[1, 9, 9], [4, 9, 9], [1, 1, 1], [9, 9, 9]], q: [-1, -2, 5, -1] },
  { pred: [[1, 2, 3], [4, 9, 9], [1, 1, 1], [6, 7, 9]], q: [0.5, -1, 5, 2] },
  { pred: [[1, 2, 3], [4, 5, 1], [1, 1, 1], [6, 9, 8]], q: [3, 0, 5, 1] },
];
const stepsTaken = [3, 3, 3, 2];
const rows = labels.map((label, i) => ({ label, pred: steps[2].pred[i], q: steps[2].q[i], steps: stepsTaken[i] }));
const ctx = { metadata: metadata({ ignoreLabelId: null }) };
const sig = (x: number) => 1 / (1 + Math.exp(-x));

describe("per-step curve", () => {
  it("gives exact and token accuracy after each step, and the best step", () => {
    const r = stepCurveEvaluator.evaluate(buildOutput(rows, steps), ctx) as any;
    expect(r.curve.step).toEqual([1, 2, 3]);
    expect(r.curve.exact_accuracy).toEqual([0, 1 / 3, 2 / 3]);
    const token = [(1 / 3 + 1 / 2 + 0) / 3, (1 + 1 / 2 + 2 / 3) / 3, (1 + 1 + 2 / 3) / 3];
    r.curve.token_accuracy.forEach((t: number, k: number) => expect(t).toBeCloseTo(token[k], 12));
    expect(r.best_step).toBe(3);
    expect(r.best_exact_accuracy).toBeCloseTo(2 / 3, 12);
  });

  it("is null without a trace", () => {
    expect(stepCurveEvaluator.evaluate(buildOutput(rows), ctx)).toEqual({ best_step: null, best_exact_accuracy: null });
  });

  it("rejects a trace record of the wrong size", () => {
    const out = buildOutput(rows, steps);
    out.trace![1] = { ...out.trace![1], qHalt: new Float32Array(2) };
    expect(() => stepCurveEvaluator.evaluate(out, ctx)).toThrow(/trace\[1\]\.qHalt has 2 values/);
  });
});

describe("halting statistics", () => {
  const s = haltingEvaluator().evaluate(buildOutput(rows, steps), ctx) as any;

  it("mean steps and the steps histogram over examples with labels", () => {
    expect(s.examples).toBe(3);
    expect(s.mean_steps).toBeCloseTo(8 / 3, 12); // rows 0, 1, 3 took 3, 3, 2
    expect(s.steps_histogram).toEqual({ step: [2, 3], count: [1, 2] });
  });

  it("first step where q_halt > 0 (TRM rule without q_continue)", () => {
    // row0 first > 0 at step 2; row1 never (q = 0 at step 3 is not > 0); row3 at step 2.
    expect(s.halt_rule).toBe("halt-logit");
    expect(s.first_halt_histogram).toEqual({ step: [2], count: [2], never: 1 });
    expect(s.mean_first_halt_step).toBe(2);
    expect(s.never_halted).toBeCloseTo(1 / 3, 12);
    // Stopping there: row0 right at step 2, row1 judged on its last step (right), row3 wrong at step 2.
    expect(s.exact_accuracy_at_halt).toBeCloseTo(2 / 3, 12);
  });

  it("q_halt >= 0 as a predictor of a right answer, finally and per step", () => {
    // final: row0 (q 3, right) agrees, row1 (q 0 counts as >= 0, right) agrees, row3 (q 1, wrong) disagrees
    expect(s.q_halt_accuracy).toBeCloseTo(2 / 3, 12);
    expect(s.q_halt_precision).toBeCloseTo(2 / 3, 12);
    expect(s.q_halt_recall).toBe(1);
    // step 1: nobody right, nobody >= 0 -> 3/3; step 2: row3 disagrees; step 3: row3 disagrees
    expect(s.q_halt_accuracy_per_step).toEqual([1, 2 / 3, 2 / 3]);
  });

  it("reliability bins of sigmoid(q_halt) and their calibration error", () => {
    const used = s.calibration.filter((b: any) => b.count > 0);
    expect(used.map((b: any) => [b.lower, b.count, b.accuracy])).toEqual([
      [0.5, 1, 1], // sigmoid(0) = 0.5, row1 right
      [0.7, 1, 0], // sigmoid(1) = 0.73, row3 wrong
      [0.9, 1, 1], // sigmoid(3) = 0.95, row0 right
    ]);
    expect(used[1].confidence).toBeCloseTo(sig(1), 6);
    expect(s.calibration).toHaveLength(10);
    expect(s.q_halt_ece).toBeCloseTo((Math.abs(1 - sig(0)) + Math.abs(0 - sig(1)) + Math.abs(1 - sig(3))) / 3, 6);
  });

  it("uses q_halt > q_continue when the trace has q_continue (HRM rule), or the rule asked for", () => {
    const one = [{ label: [1], pred: [1], q: -0.5, qc: 0 }];
    const trace = [
      { pred: [[2]], q: [-1], qc: [-2] }, // q_halt > q_continue: HRM stops here, TRM would not
      { pred: [[1]], q: [-0.5], qc: [0] },
    ];
    const out = buildOutput(one, trace);
    const auto = haltingStats(out);
    expect(auto.halt_rule).toBe("q-learning");
    expect(auto.first_halt_histogram).toEqual({ step: [1], count: [1], never: 0 });
    expect(auto.exact_accuracy_at_halt).toBe(0); // step 1's answer was wrong
    const trm = haltingStats(out, { rule: "halt-logit" });
    expect(trm.first_halt_histogram).toEqual({ step: [], count: [], never: 1 });
    expect(trm.exact_accuracy_at_halt).toBe(1);
  });

  it("leaves the trace-dependent rates null and structures out without a trace", () => {
    const r = haltingStats(buildOutput(rows));
    expect(r).not.toHaveProperty("first_halt_histogram");
    expect(r).not.toHaveProperty("q_halt_accuracy_per_step");
    expect(r.mean_first_halt_step).toBeNull();
    expect(r.q_halt_accuracy).toBeCloseTo(2 / 3, 12);
  });
});
