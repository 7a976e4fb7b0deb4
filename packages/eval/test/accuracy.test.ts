import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { exactAccuracy, tokenAccuracy } from "@recurse/eval";
import { IGNORE_LABEL } from "@recurse/core";
import { X, buildOutput, metadata } from "./build-output";

// Four examples of length 4, counted by hand:
//   row 0: labels 1 2 3 4, preds 1 2 3 4   -> 4/4 right, exact
//   row 1: labels 1 2 X X, preds 1 5 7 7   -> 1/2 right (ignored positions never count)
//   row 2: labels X X X X                  -> no labels: left out of every rate
//   row 3: labels 5 X 6 7, preds 5 9 6 7   -> 3/3 right, exact (the wrong token sits on an ignored position)
const rows = [
  { label: [1, 2, 3, 4], pred: [1, 2, 3, 4], q: 1 },
  { label: [1, 2, X, X], pred: [1, 5, 7, 7], q: -1 },
  { label: [X, X, X, X], pred: [3, 3, 3, 3], q: 2 },
  { label: [5, X, 6, 7], pred: [5, 9, 6, 7], q: 0.5 },
];

describe("exact and token accuracy", () => {
  const ctx = { metadata: metadata() };
  const output = buildOutput(rows);

  it("exact accuracy counts examples right at every labeled position, over examples with labels", () => {
    const r = exactAccuracy.evaluate(output, ctx);
    expect(r).toMatchObject({ exact_accuracy: 2 / 3, examples: 3 });
    // outcomes (1, 0, 1): sample variance ((1/3)² + (2/3)² + (1/3)²) / 2 = 1/3; standard error sqrt((1/3) / 3) = 1/3
    expect(r.exact_accuracy_stderr).toBeCloseTo(1 / 3, 12);
  });

  it("token accuracy: the reference's per-example mean and the pooled rate", () => {
    const r = tokenAccuracy.evaluate(output, ctx);
    expect(r.token_accuracy).toBeCloseTo((1 + 0.5 + 1) / 3, 12);
    expect(r.token_accuracy_pooled).toBeCloseTo((4 + 1 + 3) / (4 + 2 + 3), 12);
    expect(r.tokens).toBe(9);
  });

  it("treats the dataset's ignore id as ignored too, and reports null on an empty set", () => {
    // Label 0 is the dataset's ignore id (PAD) here: the wrong prediction on it must not count.
    const withPad = buildOutput([{ label: [1, 0, 0, 0], pred: [1, 4, 4, 4], q: 0 }]);
    expect(exactAccuracy.evaluate(withPad, ctx).exact_accuracy).toBe(1);
    const noLabels = buildOutput([{ label: [X, X, X, X], pred: [1, 1, 1, 1], q: 0 }]);
    expect(exactAccuracy.evaluate(noLabels, ctx)).toEqual({ exact_accuracy: null, exact_accuracy_stderr: null, examples: 0 });
    expect(tokenAccuracy.evaluate(noLabels, ctx).token_accuracy).toBeNull();
  });

  it("rejects arrays that do not match numExamples × seqLen", () => {
    const bad = { ...output, predictions: new Int32Array(3) };
    expect(() => exactAccuracy.evaluate(bad, ctx)).toThrow(/predictions has 3 values/);
  });

  it("agrees with a naive count on random outputs", () => {
    const meta = metadata({ ignoreLabelId: null });
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.tuple(fc.integer({ min: -1, max: 3 }), fc.integer({ min: 0, max: 3 })), { minLength: 5, maxLength: 5 }),
          { minLength: 1, maxLength: 12 },
        ),
        (cells) => {
          // label -1 stands for ignored in this generator
          const built = cells.map((r) => ({
            label: r.map(([l]) => (l < 0 ? IGNORE_LABEL : l)),
            pred: r.map(([, p]) => p),
            q: 0,
          }));
          const out = buildOutput(built);
          const scored = cells.map((r) => r.filter(([l]) => l >= 0)).filter((r) => r.length > 0);
          const exact = scored.filter((r) => r.every(([l, p]) => l === p)).length;
          const perRow = scored.map((r) => r.filter(([l, p]) => l === p).length / r.length);
          const all = scored.flat();
          const e = exactAccuracy.evaluate(out, { metadata: meta });
          const t = tokenAccuracy.evaluate(out, { metadata: meta });
          if (scored.length === 0) return e.exact_accuracy === null;
          expect(e.exact_accuracy).toBeCloseTo(exact / scored.length, 12);
          expect(t.token_accuracy).toBeCloseTo(perRow.reduce((a, b) => a + b, 0) / scored.length, 12);
          expect(t.token_accuracy_pooled).toBeCloseTo(all.filter(([l, p]) => l === p).length / all.length, 12);
          return true;
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });
});
