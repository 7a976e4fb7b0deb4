import type { EvaluationOutput, EvaluatorContext, EvaluatorSpec } from "@recurse/core";
import { splitArtifacts } from "../artifacts";
import type { StepCurve } from "../metrics/step-curve";
import type { ResultEntry } from "../report/results-schema";

/** Evaluator ids whose results the reports lift into an entry's `curve` and `halting`. */
export const STEP_CURVE_ID = "step-curve";
export const HALTING_ID = "halting";

/** What the evaluators made of one output: the parts of a result entry, plus the artifact files. */
export interface ScoredOutput {
  metrics: ResultEntry["metrics"];
  curve: ResultEntry["curve"];
  halting: ResultEntry["halting"];
  evaluators: ResultEntry["evaluators"];
  /** File name → JSON value, per evaluator id. */
  artifacts: Record<string, Record<string, unknown>>;
}

const isMetric = (v: unknown): v is number | null => v === null || (typeof v === "number" && Number.isFinite(v));

/**
 * Run the evaluators that apply to the dataset over one output. Every number or null at the top of an evaluator's
 * result is a metric (named as the evaluator names it, or `evaluatorId/name` when an earlier evaluator already used
 * that name for a different value); everything else stays in `evaluators[id]`.
 *
 * @example
 * ```ts
 * const scored = scoreOutput(output, { metadata, identifiers }, defaultEvaluators());
 * scored.metrics.exact_accuracy; // 0.87
 * ```
 */
export function scoreOutput(output: EvaluationOutput, context: EvaluatorContext, evaluators: EvaluatorSpec[]): ScoredOutput {
  const scored: ScoredOutput = { metrics: {}, curve: null, halting: null, evaluators: {}, artifacts: {} };
  for (const ev of evaluators) {
    if (ev.appliesTo && !ev.appliesTo(context.metadata)) continue;
    const { data, artifacts } = splitArtifacts(ev.evaluate(output, context));
    scored.evaluators[ev.id] = data;
    if (Object.keys(artifacts).length) scored.artifacts[ev.id] = artifacts;
    for (const [key, value] of Object.entries(data)) {
      if (!isMetric(value)) continue;
      const taken = key in scored.metrics && scored.metrics[key] !== value;
      scored.metrics[taken ? `${ev.id}/${key}` : key] = value;
    }
  }
  const curve = scored.evaluators[STEP_CURVE_ID]?.curve as StepCurve | undefined;
  if (curve) scored.curve = { step: curve.step, exact_accuracy: curve.exact_accuracy, token_accuracy: curve.token_accuracy };
  const h = scored.evaluators[HALTING_ID];
  if (h?.steps_histogram) {
    scored.halting = {
      steps_histogram: h.steps_histogram as any,
      first_halt_histogram: (h.first_halt_histogram as any) ?? null,
      q_halt_accuracy_per_step: (h.q_halt_accuracy_per_step as any) ?? null,
    };
  }
  return scored;
}
