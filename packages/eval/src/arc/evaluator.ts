import { ConfigError, type EvaluatorSpec, type PuzzleDatasetMetadata } from "@recurse/core";
import { ARTIFACTS_KEY } from "../artifacts";
import type { PredictionInverter } from "./inverter";
import { DEFAULT_PASS_KS, passAtK } from "./pass-at-k";
import { arcSubmission } from "./submission";
import { voteArc, type TestPuzzles } from "./vote";

export interface ArcVotingOptions {
  /** Maps predictions back to the original puzzle's frame (the ARC dataset package provides one). */
  inverter: PredictionInverter;
  /** k values of pass@k (default 1, 2, 5, 10, 100, 1000). */
  passKs?: readonly number[];
  /** Attempts per test input in submission.json (default 2). */
  submissionAttempts?: number;
  /** Ground truth and puzzle list (TRM's test_puzzles.json); default: labels of the evaluated rows. */
  testPuzzles?: TestPuzzles;
  /** Which datasets to vote on; default: those built by the `arc` dataset kind, or with the reference ARC shape. */
  appliesTo?: (metadata: PuzzleDatasetMetadata) => boolean;
}

/**
 * Datasets built by Recurse's ARC kind, or by the reference builders (30×30 grids, 12 tokens).
 *
 * @example
 * ```ts
 * isArcDataset(split.metadata); // true for data/arc-aug-1000/test
 * ```
 */
export function isArcDataset(metadata: PuzzleDatasetMetadata): boolean {
  if (metadata.recurse) return metadata.recurse.dataset === "arc";
  return metadata.seqLen === 900 && metadata.vocabSize === 12;
}

/**
 * ARC voting across augmentations with pass@k under both scoring rules and a `submission.json` artifact.
 *
 * Result: `pass@k` (TRM's fractional rule) and `pass@k_all` (HRM's all-test-inputs rule) for each k, `puzzles`,
 * `test_inputs`, `unscored_puzzles`, `predictions`, `label_conflicts`, `missing_test_inputs`, and
 * `artifacts: { "submission.json": ... }`.
 *
 * @example
 * ```ts
 * import { arcInverter } from "@recurse/datasets-arc"; // wired by the CLI, not imported by this package
 * const arc = arcVotingEvaluator({ inverter: arcInverter });
 * arc.evaluate(output, { metadata, identifiers })["pass@2"]; // 0.45
 * ```
 */
export function arcVotingEvaluator(options: ArcVotingOptions): EvaluatorSpec {
  const ks = options.passKs ?? DEFAULT_PASS_KS;
  if (ks.some((k) => !Number.isInteger(k) || k < 1)) {
    throw new ConfigError(`pass@k values must be positive integers, got ${ks.join(", ")}`, { field: "passKs" });
  }
  return {
    id: "arc-voting",
    description: "ARC: vote across augmentations, pass@k (TRM fractional and HRM all-tests rules), submission.json",
    appliesTo: options.appliesTo ?? isArcDataset,
    evaluate(output, context) {
      if (!context.identifiers) {
        throw new ConfigError("ARC voting needs the dataset's puzzle identifier names", {
          file: "identifiers.json",
          expected: "the dataset directory's identifiers.json",
        });
      }
      const votes = voteArc(output, {
        inverter: options.inverter,
        identifiers: context.identifiers,
        blankIdentifierId: context.metadata.blankIdentifierId,
        padId: context.metadata.padId,
        ignoreLabelId: context.metadata.ignoreLabelId,
        testPuzzles: options.testPuzzles,
      });
      const scores = passAtK(votes.puzzles, ks);
      const result: Record<string, unknown> = {};
      for (const k of ks) result[`pass@${k}`] = scores.fractional[k];
      for (const k of ks) result[`pass@${k}_all`] = scores.allTests[k];
      Object.assign(result, {
        puzzles: scores.puzzles,
        test_inputs: scores.testInputs,
        unscored_puzzles: scores.unscoredPuzzles,
        predictions: votes.predictions,
        label_conflicts: votes.labelConflicts,
        missing_test_inputs: votes.missingTestInputs,
        [ARTIFACTS_KEY]: { "submission.json": arcSubmission(votes.puzzles, options.submissionAttempts ?? 2) },
      });
      return result;
    },
  };
}
