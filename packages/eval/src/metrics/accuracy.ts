import type { EvaluationOutput, EvaluatorSpec } from "@recurse/core";
import { rowStats, summarise } from "./row-stats";
import { checkOutput } from "./trace-check";

/**
 * Fraction of examples whose final answer is right at every labeled position: the headline Sudoku and Maze metric
 * (the reference's `exact_accuracy`). Examples without any labeled position are not counted.
 *
 * Result: `{ exact_accuracy, exact_accuracy_stderr, examples }`.
 *
 * @example
 * ```ts
 * exactAccuracy.evaluate(output, { metadata }); // { exact_accuracy: 0.87, exact_accuracy_stderr: 0.0106, examples: 1000 }
 * ```
 */
export const exactAccuracy: EvaluatorSpec = {
  id: "exact-accuracy",
  description: "fraction of examples answered exactly right over their labeled positions",
  evaluate(output: EvaluationOutput, context) {
    checkOutput(output);
    const s = summarise(rowStats(output.predictions, output.labels, output.numExamples, output.seqLen, context.metadata.ignoreLabelId));
    // Standard error of a mean of 0/1 outcomes with the sample variance, as lm-evaluation-harness reports it.
    const stderr = s.exact !== null && s.examples > 1 ? Math.sqrt((s.exact * (1 - s.exact)) / (s.examples - 1)) : null;
    return { exact_accuracy: s.exact, exact_accuracy_stderr: stderr, examples: s.examples };
  },
};

/**
 * Token accuracy over the labeled positions, two ways: `token_accuracy` is the reference's (each example's fraction
 * of right tokens, averaged over examples), `token_accuracy_pooled` counts every labeled token once. They agree when
 * every example has the same number of labels (Sudoku), and differ on ARC, whose grids vary in size.
 *
 * Result: `{ token_accuracy, token_accuracy_pooled, tokens }`.
 *
 * @example
 * ```ts
 * tokenAccuracy.evaluate(output, { metadata }).token_accuracy; // 0.97
 * ```
 */
export const tokenAccuracy: EvaluatorSpec = {
  id: "token-accuracy",
  description: "fraction of labeled tokens predicted right (per-example mean, and pooled)",
  evaluate(output: EvaluationOutput, context) {
    checkOutput(output);
    const s = summarise(rowStats(output.predictions, output.labels, output.numExamples, output.seqLen, context.metadata.ignoreLabelId));
    return { token_accuracy: s.tokenMean, token_accuracy_pooled: s.tokenPooled, tokens: s.tokens };
  },
};
