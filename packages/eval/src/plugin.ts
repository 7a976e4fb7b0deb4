import { definePlugin, type EvaluatorSpec } from "@recurse/core";
import { exactAccuracy, tokenAccuracy } from "./metrics/accuracy";
import { haltingEvaluator } from "./metrics/halting";
import { stepCurveEvaluator } from "./metrics/step-curve";

/**
 * The evaluators that apply to every dataset: exact and token accuracy, the per-step curve, halting statistics.
 *
 * @example
 * ```ts
 * await compare(models, datasets, { evaluators: [...defaultEvaluators(), arcVotingEvaluator({ inverter })] });
 * ```
 */
export function defaultEvaluators(): EvaluatorSpec[] {
  return [exactAccuracy, tokenAccuracy, stepCurveEvaluator, haltingEvaluator()];
}

/**
 * The package as a plugin: registers the dataset-independent evaluators. ARC voting needs a
 * {@link PredictionInverter} from the ARC dataset package, so the CLI adds `arcVotingEvaluator({ inverter })` itself.
 *
 * @example
 * ```ts
 * const registry = createRegistry().use(trm).use(evaluators);
 * ```
 */
export const evaluators = definePlugin({
  name: "@recurse/eval",
  evaluators: defaultEvaluators(),
});
