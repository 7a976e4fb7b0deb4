import { evaluate as runEngine } from "@recurse/core";
import type { EvaluationRunner } from "./inputs";

/**
 * Core's batched evaluation: every example runs `steps` supervision steps from the initial state, no gradient,
 * labels equal to the dataset's ignore id returned as -100. The subset (`limit`) is taken before, by groups.
 */
export const defaultRunner: EvaluationRunner = (model, split, options) =>
  runEngine(model, split, { steps: options.steps, batchSize: options.batchSize, trace: options.trace, onProgress: options.onProgress });
