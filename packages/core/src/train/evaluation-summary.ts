import { IGNORE_LABEL, type EvaluationOutput } from "../reasoner/types";

/** Headline metrics of an evaluation, means over the examples that have at least one label (the reference's count). */
export interface EvaluationSummary {
  numExamples: number;
  /** Examples with ≥ 1 supervised token. */
  count: number;
  /** Mean token accuracy. */
  accuracy: number;
  /** Fraction of exactly solved examples (the headline Sudoku/Maze metric). */
  exactAccuracy: number;
  /** Fraction where (q_halt ≥ 0) agrees with being exactly right. */
  qHaltAccuracy: number;
  meanSteps: number;
}

/**
 * Reference-style metrics of an {@link EvaluationOutput}.
 *
 * @example
 * ```ts
 * const { exactAccuracy } = summarizeEvaluation(await evaluate(model, test));
 * ```
 */
export function summarizeEvaluation(out: EvaluationOutput): EvaluationSummary {
  const L = out.seqLen;
  let count = 0;
  let accuracy = 0;
  let exact = 0;
  let qAcc = 0;
  let steps = 0;
  for (let i = 0; i < out.numExamples; i++) {
    let n = 0;
    let c = 0;
    for (let t = 0; t < L; t++) {
      const label = out.labels[i * L + t];
      if (label === IGNORE_LABEL) continue;
      n++;
      if (out.predictions[i * L + t] === label) c++;
    }
    if (n === 0) continue;
    count++;
    accuracy += c / n;
    const isExact = c === n;
    if (isExact) exact++;
    if (out.qHalt[i] >= 0 === isExact) qAcc++;
    steps += out.stepsTaken[i];
  }
  const mean = (v: number) => (count > 0 ? v / count : 0);
  return {
    numExamples: out.numExamples,
    count,
    accuracy: mean(accuracy),
    exactAccuracy: mean(exact),
    qHaltAccuracy: mean(qAcc),
    meanSteps: mean(steps),
  };
}
