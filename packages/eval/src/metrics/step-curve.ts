import type { EvaluationOutput, EvaluatorSpec } from "@recurse/core";
import { rowStats, summarise } from "./row-stats";
import { checkOutput, checkedTrace } from "./trace-check";

/** Accuracy after each supervision step: the curve that shows recursion refining the answer. */
export interface StepCurve {
  /** 1-based supervision steps. */
  step: number[];
  /** Exact accuracy of the answers read out at each step. */
  exact_accuracy: (number | null)[];
  /** Token accuracy (per-example mean, as the reference) at each step. */
  token_accuracy: (number | null)[];
}

/**
 * Compute the per-step curve from a traced output, or null when the output carries no trace.
 *
 * @example
 * ```ts
 * stepCurve(tracedOutput)?.exact_accuracy; // [0.02, 0.31, ..., 0.87]
 * ```
 */
export function stepCurve(output: EvaluationOutput, ignoreLabelId?: number | null): StepCurve | null {
  checkOutput(output);
  const trace = checkedTrace(output);
  if (!trace) return null;
  const curve: StepCurve = { step: [], exact_accuracy: [], token_accuracy: [] };
  for (const rec of trace) {
    const s = summarise(rowStats(rec.predictions, output.labels, output.numExamples, output.seqLen, ignoreLabelId));
    curve.step.push(rec.step);
    curve.exact_accuracy.push(s.exact);
    curve.token_accuracy.push(s.tokenMean);
  }
  return curve;
}

/**
 * Exact and token accuracy after every supervision step (needs an output evaluated with `trace`). Also reports the
 * step with the best exact accuracy (the earliest on ties), which tells how many steps a model actually needs.
 *
 * Result: `{ curve?: StepCurve, best_step, best_exact_accuracy }`; without a trace `curve` is absent and the
 * others are null (structures are left out rather than null, so every null or number in a result is a metric).
 *
 * @example
 * ```ts
 * const { curve } = stepCurveEvaluator.evaluate(tracedOutput, { metadata });
 * curve.exact_accuracy; // [0.02, 0.31, 0.55, ..., 0.87]
 * ```
 */
export const stepCurveEvaluator: EvaluatorSpec = {
  id: "step-curve",
  description: "exact and token accuracy after each supervision step (needs a traced evaluation)",
  evaluate(output, context) {
    const curve = stepCurve(output, context.metadata.ignoreLabelId);
    if (!curve) return { best_step: null, best_exact_accuracy: null };
    let best = -1;
    curve.exact_accuracy.forEach((a, k) => {
      if (a !== null && (best < 0 || a > (curve.exact_accuracy[best] as number))) best = k;
    });
    return {
      curve,
      best_step: best >= 0 ? curve.step[best] : null,
      best_exact_accuracy: best >= 0 ? curve.exact_accuracy[best] : null,
    };
  },
};
