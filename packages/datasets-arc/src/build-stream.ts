import { Rng } from "@recurse/core";
import { augmentTask, type ArcVersion } from "./augment";
import { ARC_SEQ_LEN, encodeGrid, randomOffset, type CanvasOffset } from "./encode";
import type { ArcPair, ArcTask } from "./task";
import { puzzleSeed } from "./seeds";

/** Receives one split's examples in order: examples of a puzzle, then the puzzle, then its group. */
export interface ArcSplitSink {
  /** One example: input and label tokens, [900] each. The arrays are reused after the call returns. */
  addExample(input: Uint8Array, label: Uint8Array): void;
  /** Closes the current puzzle (the examples added since the last one) under a puzzle identifier. */
  endPuzzle(identifier: number): void;
  /** Closes the current group (the puzzles ended since the last one): all versions of one original puzzle. */
  endGroup(): void;
}

/**
 * How training examples of evaluation puzzles are handled.
 * - `reference`: as both papers, the demonstration pairs of test-set puzzles (all their versions) are trained on,
 *   and their test pairs form the test split.
 * - `leak-free`: test-set puzzles are absent from the train split; the test split is the same.
 * Test pairs of puzzles outside the test set go to the train split in both modes.
 */
export type ArcBuildMode = "reference" | "leak-free";

/** Options of {@link streamArcBuild}. */
export interface ArcStreamOptions {
  /** Subsets whose puzzles are evaluated (their test pairs form the test split), e.g. `["evaluation"]`. */
  testSets: string[];
  /** Augmented versions per puzzle (besides the original). */
  augmentations: number;
  mode: ArcBuildMode;
  seed: number;
  /** Random translation of training examples (default true, as the reference). */
  translate?: boolean;
}

/** Counts from {@link streamArcBuild}. */
export interface ArcStreamStats {
  /** Puzzles read, and those in the test set. */
  puzzles: number;
  testSetPuzzles: number;
  /** Versions made, originals included; one puzzle identifier each. */
  versions: number;
  /** Puzzles that got fewer than the asked augmentations (too symmetric for enough unique versions). */
  shortPuzzles: { id: string; versions: number }[];
  /** Identifiers including the blank (0). */
  numPuzzleIdentifiers: number;
}

/**
 * Turns tasks into the two splits of the reference layout, version by version, without holding more than one
 * version in memory: every version of every puzzle gets its own puzzle identifier (assigned in order, from 1; 0 is
 * the blank) and its name is passed to `onIdentifier`. Train examples are translated at random inside the canvas
 * except one per version (`translate`); test examples never are. Randomness is seeded per puzzle (see
 * {@link puzzleSeed}), so a puzzle's versions do not depend on the other inputs or on the mode.
 *
 * @example
 * ```ts
 * const stats = streamArcBuild(tasks, { testSets: ["evaluation"], augmentations: 8, mode: "reference", seed: 42 },
 *   { train: trainSink, test: testSink }, (name) => names.push(name));
 * ```
 */
export function streamArcBuild(
  tasks: Iterable<ArcTask>,
  options: ArcStreamOptions,
  sinks: { train: ArcSplitSink; test: ArcSplitSink },
  onIdentifier: (name: string, identifier: number) => void,
  onTask?: (task: ArcTask, index: number) => void,
): ArcStreamStats {
  const translate = options.translate ?? true;
  const testSets = new Set(options.testSets);
  const input = new Uint8Array(ARC_SEQ_LEN);
  const label = new Uint8Array(ARC_SEQ_LEN);
  const stats: ArcStreamStats = { puzzles: 0, testSetPuzzles: 0, versions: 0, shortPuzzles: [], numPuzzleIdentifiers: 1 };
  let nextIdentifier = 1;

  const writePuzzle = (sink: ArcSplitSink, pairs: ArcPair[], identifier: number, shift: Rng | null) => {
    const untranslated = shift ? shift.int(0, pairs.length) : -1;
    for (let k = 0; k < pairs.length; k++) {
      const { input: gi, output: go } = pairs[k];
      const offset: CanvasOffset = shift && k !== untranslated ? randomOffset(gi, go, shift) : { row: 0, col: 0 };
      encodeGrid(gi, offset, input);
      encodeGrid(go, offset, label);
      sink.addExample(input, label);
    }
    sink.endPuzzle(identifier);
  };

  let index = 0;
  for (const task of tasks) {
    const isTest = testSets.has(task.source.subset);
    const toTrain = !(isTest && options.mode === "leak-free");
    const plans = new Rng(puzzleSeed(options.seed, task.id, "augment"));
    const shift = translate ? new Rng(puzzleSeed(options.seed, task.id, "translate")) : null;
    let versions = 0;
    for (const version of augmentTask(task, options.augmentations, plans) as Iterable<ArcVersion>) {
      const identifier = nextIdentifier++;
      onIdentifier(version.name, identifier);
      versions++;
      if (isTest) {
        if (toTrain) writePuzzle(sinks.train, version.train, identifier, shift);
        writePuzzle(sinks.test, version.test, identifier, null);
      } else {
        writePuzzle(sinks.train, [...version.train, ...version.test], identifier, shift);
      }
    }
    if (toTrain) sinks.train.endGroup();
    if (isTest) sinks.test.endGroup();
    stats.puzzles++;
    if (isTest) stats.testSetPuzzles++;
    stats.versions += versions;
    if (versions < options.augmentations + 1) stats.shortPuzzles.push({ id: task.id, versions });
    onTask?.(task, index++);
  }
  stats.numPuzzleIdentifiers = nextIdentifier;
  return stats;
}
