import type { EvaluationOutput, EvaluatorSpec, SupervisionStepRecord } from "@recurse/core";
import { exactMask, ratio, rowStats } from "./row-stats";
import { checkOutput, checkedTrace } from "./trace-check";

/**
 * When a step's readout says "stop": `halt-logit` (TRM) when q_halt > 0; `q-learning` (HRM) when
 * q_halt > q_continue; `auto` picks `q-learning` where the trace has q_continue values, else `halt-logit`.
 */
export type HaltRule = "auto" | "halt-logit" | "q-learning";

/** Counts per value: `step[k]` occurred `count[k]` times. */
export interface Histogram {
  step: number[];
  count: number[];
}

/** One bin of the q_halt reliability table: predicted probability of being right vs how often it was. */
export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean sigmoid(q_halt) in the bin. */
  confidence: number | null;
  /** Fraction of the bin's examples answered exactly right. */
  accuracy: number | null;
}

export interface HaltingOptions {
  rule?: HaltRule;
  /** Equal-width bins of sigmoid(q_halt) for the reliability table (default 10). */
  calibrationBins?: number;
}

/**
 * Everything {@link haltingStats} measures. Without a trace, the trace-dependent rates are null and the
 * trace-dependent structures are absent.
 */
export interface HaltingStats {
  /** Examples with labels (all figures are over these). */
  examples: number;
  mean_steps: number | null;
  steps_histogram: Histogram;
  /** Accuracy of `q_halt >= 0` as a predictor of the final answer being exactly right (the reference's q_halt_accuracy). */
  q_halt_accuracy: number | null;
  /** P(right | q_halt >= 0). */
  q_halt_precision: number | null;
  /** P(q_halt >= 0 | right). */
  q_halt_recall: number | null;
  calibration: CalibrationBin[];
  /** Expected calibration error of sigmoid(q_halt) over the bins. */
  q_halt_ece: number | null;
  halt_rule?: "halt-logit" | "q-learning";
  /** First step whose readout says stop, per example; `never` counts those that never say it. */
  first_halt_histogram?: Histogram & { never: number };
  /** Mean of the first halting step over the examples that halt. */
  mean_first_halt_step: number | null;
  never_halted: number | null;
  /** Exact accuracy when each example stops at its first halting step (or the last traced step if it never halts). */
  exact_accuracy_at_halt: number | null;
  /** q_halt_accuracy of each traced step. */
  q_halt_accuracy_per_step?: (number | null)[];
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function histogram(values: number[]): Histogram {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const step = [...counts.keys()].sort((a, b) => a - b);
  return { step, count: step.map((s) => counts.get(s) as number) };
}

function qHaltAgreement(qHalt: Float32Array, right: Uint8Array, valid: Uint8Array): number | null {
  let n = 0;
  let agree = 0;
  for (let i = 0; i < valid.length; i++) {
    if (!valid[i]) continue;
    n++;
    if ((qHalt[i] >= 0 ? 1 : 0) === right[i]) agree++;
  }
  return ratio(agree, n);
}

function resolveRule(rule: HaltRule, trace: SupervisionStepRecord[]): "halt-logit" | "q-learning" {
  if (rule !== "auto") return rule;
  return trace.every((r) => r.qContinue) ? "q-learning" : "halt-logit";
}

/**
 * Halting statistics of an evaluation: steps taken, how well q_halt predicts a right answer (overall, per step and
 * as a reliability table), and, from a trace, where each example would first have stopped and how accurate the
 * answers are at that point.
 *
 * @example
 * ```ts
 * const s = haltingStats(output, { ignoreLabelId: null });
 * s.first_halt_histogram; // { step: [3, 4, 5], count: [10, 70, 20], never: 0 }
 * ```
 */
export function haltingStats(
  output: EvaluationOutput,
  options: HaltingOptions & { ignoreLabelId?: number | null } = {},
): HaltingStats {
  checkOutput(output);
  const n = output.numExamples;
  const finalStats = rowStats(output.predictions, output.labels, n, output.seqLen, options.ignoreLabelId);
  const valid = Uint8Array.from(finalStats.labeled, (c) => (c > 0 ? 1 : 0));
  const right = exactMask(finalStats);
  const validCount = valid.reduce((a, b) => a + b, 0);

  const steps: number[] = [];
  let tp = 0;
  let predictedRight = 0;
  let actuallyRight = 0;
  for (let i = 0; i < n; i++) {
    if (!valid[i]) continue;
    steps.push(output.stepsTaken[i]);
    const says = output.qHalt[i] >= 0;
    if (says) predictedRight++;
    if (right[i]) actuallyRight++;
    if (says && right[i]) tp++;
  }

  const binCount = options.calibrationBins ?? 10;
  const bins = Array.from({ length: binCount }, (_, b) => ({ lower: b / binCount, upper: (b + 1) / binCount, count: 0, conf: 0, hits: 0 }));
  for (let i = 0; i < n; i++) {
    if (!valid[i]) continue;
    const p = sigmoid(output.qHalt[i]);
    const b = bins[Math.min(binCount - 1, Math.floor(p * binCount))];
    b.count++;
    b.conf += p;
    b.hits += right[i];
  }
  let ece = 0;
  for (const b of bins) if (b.count) ece += (b.count / validCount) * Math.abs(b.hits / b.count - b.conf / b.count);

  const stats: HaltingStats = {
    examples: validCount,
    mean_steps: ratio(steps.reduce((a, b) => a + b, 0), steps.length),
    steps_histogram: histogram(steps),
    q_halt_accuracy: qHaltAgreement(output.qHalt, right, valid),
    q_halt_precision: ratio(tp, predictedRight),
    q_halt_recall: ratio(tp, actuallyRight),
    calibration: bins.map((b) => ({
      lower: b.lower,
      upper: b.upper,
      count: b.count,
      confidence: ratio(b.conf, b.count),
      accuracy: ratio(b.hits, b.count),
    })),
    q_halt_ece: validCount ? ece : null,
    mean_first_halt_step: null,
    never_halted: null,
    exact_accuracy_at_halt: null,
  };

  const trace = checkedTrace(output);
  if (!trace) return stats;
  const rule = resolveRule(options.rule ?? "auto", trace);
  const firstHalt = new Int32Array(n); // 0 = never
  const rightAtHalt = new Uint8Array(n);
  const perStep: (number | null)[] = [];
  for (const rec of trace) {
    const stepRight = exactMask(rowStats(rec.predictions, output.labels, n, output.seqLen, options.ignoreLabelId));
    perStep.push(qHaltAgreement(rec.qHalt, stepRight, valid));
    for (let i = 0; i < n; i++) {
      if (firstHalt[i]) continue;
      const stop = rule === "q-learning" ? rec.qHalt[i] > (rec.qContinue as Float32Array)[i] : rec.qHalt[i] > 0;
      // An example that never stops is judged on the last traced step's answer.
      rightAtHalt[i] = stepRight[i];
      if (stop) firstHalt[i] = rec.step;
    }
  }
  const halted: number[] = [];
  let never = 0;
  let rightCount = 0;
  for (let i = 0; i < n; i++) {
    if (!valid[i]) continue;
    if (firstHalt[i]) halted.push(firstHalt[i]);
    else never++;
    rightCount += rightAtHalt[i];
  }
  stats.halt_rule = rule;
  stats.first_halt_histogram = { ...histogram(halted), never };
  stats.mean_first_halt_step = ratio(halted.reduce((a, b) => a + b, 0), halted.length);
  stats.never_halted = ratio(never, validCount);
  stats.exact_accuracy_at_halt = ratio(rightCount, validCount);
  stats.q_halt_accuracy_per_step = perStep;
  return stats;
}

/**
 * Halting evaluator: see {@link haltingStats}. Result keys are the fields of {@link HaltingStats}.
 *
 * @example
 * ```ts
 * const halting = haltingEvaluator({ rule: "halt-logit" });
 * halting.evaluate(output, { metadata }).mean_first_halt_step; // 4.2
 * ```
 */
export function haltingEvaluator(options: HaltingOptions = {}): EvaluatorSpec {
  return {
    id: "halting",
    description: "steps taken, first step where the halting head says stop, q_halt accuracy and calibration",
    evaluate(output, context) {
      return { ...haltingStats(output, { ...options, ignoreLabelId: context.metadata.ignoreLabelId }) };
    },
  };
}
