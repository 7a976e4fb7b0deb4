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

export { gridHash } from "./arc/grid";
export type { Grid } from "./arc/grid";
export type { PredictionInverter } from "./arc/inverter";
export { voteArc } from "./arc/vote";
export type { Candidate, TestInputVote, PuzzleVotes, TestPuzzles, VoteOptions, VoteSummary } from "./arc/vote";
export { passAtK, DEFAULT_PASS_KS } from "./arc/pass-at-k";
export type { PassAtK } from "./arc/pass-at-k";
export { arcSubmission } from "./arc/submission";
export type { ArcSubmission } from "./arc/submission";
export { arcVotingEvaluator, isArcDataset } from "./arc/evaluator";
export type { ArcVotingOptions } from "./arc/evaluator";

export { ARTIFACTS_KEY, splitArtifacts } from "./artifacts";
export { evaluators, defaultEvaluators } from "./plugin";
