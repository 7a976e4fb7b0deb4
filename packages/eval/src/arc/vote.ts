import { ConfigError, DataFormatError, type EvaluationOutput } from "@recurse/core";
import { makeIgnore } from "../metrics/row-stats";
import { checkOutput } from "../metrics/trace-check";
import { gridHash, type Grid } from "./grid";
import type { PredictionInverter } from "./inverter";

/** One distinct predicted grid for a test input, with its votes. */
export interface Candidate {
  hash: string;
  grid: Grid;
  /** How many augmented versions predicted this grid (after inversion). */
  count: number;
  /** Mean sigmoid(q_halt) over those predictions: the tie-break. */
  meanQ: number;
}

/** The ranked candidates of one test input of one original puzzle. */
export interface TestInputVote {
  /** Hash of the test input grid in the original frame: the grouping key. */
  inputHash: string;
  /** Expected output grid, or null when unknown (hidden test set, or no labels). */
  label: Grid | null;
  labelHash: string | null;
  /** Best first: most votes, then highest mean sigmoid(q_halt), then first seen. Empty when nothing predicted it. */
  candidates: Candidate[];
}

/** The ranked votes of every original puzzle, in puzzle order. */
export interface PuzzleVotes {
  puzzle: string;
  tests: TestInputVote[];
}

/** Ground truth in the TRM builder's `test_puzzles.json` form: original puzzle name → its test pairs. */
export type TestPuzzles = Record<string, { test: { input: Grid; output?: Grid | null }[] }>;

export interface VoteOptions {
  inverter: PredictionInverter;
  /** identifiers.json: puzzle identifier id → name. */
  identifiers: string[];
  /** Identifier id of padding rows, skipped (the dataset's `blankIdentifierId`). */
  blankIdentifierId: number;
  /** Pad token id, given to the inverter where a label is ignored. */
  padId: number;
  ignoreLabelId?: number | null;
  /**
   * Ground truth and puzzle list as the TRM evaluator takes them. Without it, each test input's label is read from
   * the evaluated rows themselves (preferring the unaugmented version's row, as HRM's notebook does) and the
   * puzzles are those present in the output.
   */
  testPuzzles?: TestPuzzles;
}

/** What voting found besides the ranks: counts that reveal an inverter or data problem. */
export interface VoteSummary {
  puzzles: PuzzleVotes[];
  /** Rows that took part (non-blank identifier). */
  predictions: number;
  /** Test inputs for which rows of different augmented versions decode to different labels. */
  labelConflicts: number;
  /** Test inputs of `testPuzzles` that no row predicted. */
  missingTestInputs: number;
}

interface Group {
  order: number;
  candidates: Map<string, { grid: Grid; count: number; qSum: number }>;
  label: Grid | null;
  labelHash: string | null;
  labelFromOriginal: boolean;
  conflict: boolean;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function rank(group: Group | undefined): Candidate[] {
  if (!group) return [];
  const list = [...group.candidates].map(([hash, c]) => ({ hash, grid: c.grid, count: c.count, meanQ: c.qSum / c.count }));
  // Array.prototype.sort is stable, so full ties keep first-seen order, like Python's sorted(reverse=True).
  return list.sort((a, b) => b.count - a.count || b.meanQ - a.meanQ);
}

/**
 * Vote across augmentations exactly as the HRM notebook and the TRM evaluator do: each prediction is mapped back
 * to the original frame, predictions are grouped by (original puzzle, hash of the original-frame test input), and
 * each group's distinct grids are ranked by vote count, then by mean sigmoid(q_halt).
 *
 * @example
 * ```ts
 * const { puzzles } = voteArc(output, { inverter, identifiers, blankIdentifierId: 0, padId: 0 });
 * puzzles[0].tests[0].candidates[0].grid; // the top-voted answer for the first test input
 * ```
 */
export function voteArc(output: EvaluationOutput, options: VoteOptions): VoteSummary {
  checkOutput(output);
  const { inverter, identifiers } = options;
  const L = output.seqLen;
  const ignored = makeIgnore(options.ignoreLabelId);
  const groups = new Map<string, Map<string, Group>>();
  let predictions = 0;
  let order = 0;

  for (let i = 0; i < output.numExamples; i++) {
    const id = output.puzzleIds[i];
    if (id === options.blankIdentifierId) continue;
    const name = identifiers[id];
    if (name === undefined) {
      throw new DataFormatError(`puzzle identifier ${id} has no name`, {
        file: "identifiers.json",
        field: `[${id}]`,
        expected: `a name for every identifier id (the file lists ${identifiers.length})`,
      });
    }
    predictions++;
    const original = inverter.originalName(name);
    const isOriginal = original === name;
    const row = (a: Int32Array) => a.subarray(i * L, (i + 1) * L);
    const inputHash = gridHash(inverter.toOriginalGrid(row(output.inputs), name));
    const pred = inverter.toOriginalGrid(row(output.predictions), name);
    const predHash = gridHash(pred);

    let byInput = groups.get(original);
    if (!byInput) groups.set(original, (byInput = new Map()));
    let group = byInput.get(inputHash);
    if (!group) {
      group = { order: 0, candidates: new Map(), label: null, labelHash: null, labelFromOriginal: false, conflict: false };
      byInput.set(inputHash, group);
    }
    // Test inputs are ordered as the unaugmented version lists them; the builder writes that version's rows in
    // test order. Inputs seen only in augmented rows come after, in first-seen order.
    const seen = (isOriginal ? 0 : output.numExamples) + order++;
    if (group.candidates.size === 0 || seen < group.order) group.order = seen;

    const c = group.candidates.get(predHash);
    const q = sigmoid(output.qHalt[i]);
    if (c) {
      c.count++;
      c.qSum += q;
    } else group.candidates.set(predHash, { grid: pred, count: 1, qSum: q });

    if (!options.testPuzzles) {
      // Ignored positions go to the inverter as PAD, the token the encoding uses around a grid.
      const labels = new Int32Array(L);
      let labeled = false;
      for (let t = 0, j = i * L; t < L; t++, j++) {
        const v = output.labels[j];
        if (ignored(v)) labels[t] = options.padId;
        else {
          labels[t] = v;
          labeled = true;
        }
      }
      if (labeled) {
        const label = inverter.toOriginalGrid(labels, name);
        const labelHash = gridHash(label);
        if (group.labelHash !== null && group.labelHash !== labelHash) group.conflict = true;
        if (group.labelHash === null || (isOriginal && !group.labelFromOriginal)) {
          group.label = label;
          group.labelHash = labelHash;
          group.labelFromOriginal = isOriginal;
        }
      }
    }
  }

  let labelConflicts = 0;
  let missingTestInputs = 0;
  const puzzles: PuzzleVotes[] = [];
  if (options.testPuzzles) {
    for (const [puzzle, spec] of Object.entries(options.testPuzzles)) {
      if (!spec || !Array.isArray(spec.test)) {
        throw new ConfigError("each puzzle needs a `test` list", { file: "test_puzzles.json", field: puzzle, expected: "{ test: [{ input, output }] }" });
      }
      const tests = spec.test.map((pair) => {
        const inputHash = gridHash(pair.input);
        const candidates = rank(groups.get(puzzle)?.get(inputHash));
        if (!candidates.length) missingTestInputs++;
        const label = pair.output ?? null;
        return { inputHash, label, labelHash: label ? gridHash(label) : null, candidates };
      });
      puzzles.push({ puzzle, tests });
    }
  } else {
    for (const [puzzle, byInput] of groups) {
      const entries = [...byInput].sort((a, b) => a[1].order - b[1].order);
      const tests = entries.map(([inputHash, g]) => {
        if (g.conflict) labelConflicts++;
        return { inputHash, label: g.label, labelHash: g.labelHash, candidates: rank(g) };
      });
      puzzles.push({ puzzle, tests });
    }
  }
  return { puzzles, predictions, labelConflicts, missingTestInputs };
}
