/**
 * @recurse/eval: evaluators (exact/token accuracy, per-step curves, halting statistics, ARC voting with pass@k and
 * submission files), model × dataset comparison, and JSON/Markdown/HTML/terminal reports.
 */
export { exactAccuracy, tokenAccuracy } from "./metrics/accuracy";
export { stepCurve, stepCurveEvaluator } from "./metrics/step-curve";
export type { StepCurve } from "./metrics/step-curve";
export { haltingStats, haltingEvaluator } from "./metrics/halting";
export type { HaltRule, HaltingOptions, HaltingStats, Histogram, CalibrationBin } from "./metrics/halting";
export { rowStats, summarise } from "./metrics/row-stats";
export type { RowStats, AccuracySummary } from "./metrics/row-stats";

export { evaluators, defaultEvaluators } from "./plugin";
