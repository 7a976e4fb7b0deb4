import { pairHash } from "./hash";
import type { ArcTask } from "./task";

/** A pair of a training-bound puzzle that equals a test pair of a test-set puzzle. */
export interface ArcOverlap {
  /** The test-set puzzle whose test pair leaks. */
  testPuzzle: string;
  testFile: string;
  testPair: number;
  /** The puzzle that would put it in the train split. */
  trainPuzzle: string;
  trainFile: string;
}

/**
 * Finds test pairs of test-set puzzles that also occur (same input and output) among the pairs of puzzles that go
 * to training. Such a build would train on the answers it is scored on: ARC-AGI-2 training holds 376 ARC-AGI-1
 * evaluation puzzles with their pairs reordered, so mixing them leaks.
 *
 * @example
 * ```ts
 * const overlaps = findOverlaps(tasks, (t) => t.source.subset === "evaluation");
 * ```
 */
export function findOverlaps(tasks: ArcTask[], isTestSet: (task: ArcTask) => boolean): ArcOverlap[] {
  const testPairs = new Map<string, { task: ArcTask; pair: number }>();
  for (const task of tasks) {
    if (!isTestSet(task) || !task.testOutputsKnown) continue;
    task.test.forEach((p, pair) => testPairs.set(pairHash(p), { task, pair }));
  }
  const overlaps: ArcOverlap[] = [];
  if (testPairs.size === 0) return overlaps;
  for (const task of tasks) {
    if (isTestSet(task)) continue;
    for (const p of [...task.train, ...task.test]) {
      const hit = testPairs.get(pairHash(p));
      if (hit) {
        overlaps.push({ testPuzzle: hit.task.id, testFile: hit.task.source.file, testPair: hit.pair, trainPuzzle: task.id, trainFile: task.source.file });
      }
    }
  }
  return overlaps;
}
