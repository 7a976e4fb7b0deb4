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

export { evaluate, evaluateSplit, resolveRun, AUTO_TRACE_LIMIT } from "./run/evaluate";
export type { EvaluateOptions, ModelEvaluation } from "./run/evaluate";
export { compare } from "./run/compare";
export type { CompareOptions } from "./run/compare";
export { parameterCount } from "./run/inputs";
export type { ModelInput, DatasetInput, EvaluationRunner, RunnerOptions } from "./run/inputs";
export { scoreOutput, STEP_CURVE_ID, HALTING_ID } from "./run/score-output";
export type { ScoredOutput } from "./run/score-output";
export { subsetSplit } from "./run/subset";
export { packageVersions, gitRevision, engineInfo } from "./run/provenance";

export {
  RESULTS_SCHEMA_ID,
  ResultsSchema,
  ResultEntrySchema,
  ModelInfoSchema,
  DatasetInfoSchema,
  StepCurveSchema,
  HaltingSummarySchema,
} from "./report/results-schema";
export type { Results, ResultEntry, ModelInfo, DatasetInfo } from "./report/results-schema";
export { parseResults, readResults, resultsJson } from "./report/results-io";
export { resultsMarkdown, provenanceLine } from "./report/markdown";
export { resultsTable, alignColumns } from "./report/terminal-table";
export { reportHtml } from "./report/html";
export { escapeHtml, jsonForScript, scriptForHtml } from "./report/html-escape";
export { selectColumns, formatValue, formatMetric, isRate, HEADLINE_METRICS } from "./report/columns";
export { writeReport } from "./report/write-report";
export type { ComparisonRun, ReportFiles } from "./report/write-report";
