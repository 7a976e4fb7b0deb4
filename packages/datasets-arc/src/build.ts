import { readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, DataFormatError, PuzzleDatasetWriter, writeDirectoryAtomic, type DatasetBuildReport, type PuzzleDatasetMetadata } from "@recurse/core";
import { streamArcBuild, type ArcBuildMode, type ArcSplitSink, type ArcStreamStats } from "./build-stream";
import { ARC_PAD, ARC_SEQ_LEN, ARC_VOCAB_SIZE } from "./encode";
import { gridToRows } from "./grid";
import { JsonListWriter } from "./json-list-writer";
import { findOverlaps, type ArcOverlap } from "./leaks";
import { loadArcInputs } from "./load";
import { pairHash } from "./hash";
import type { ArcPair, ArcTask } from "./task";

/** Options of {@link buildArcDataset}. */
export interface ArcBuildOptions {
  /** Task directories (searched recursively), task files or Kaggle-style `…_challenges.json` files. */
  inputs: string[];
  /** Output directory: `train/`, `test/`, `identifiers.json`, `test_puzzles.json`. */
  out: string;
  /** Subsets evaluated (default `"evaluation"`): their test pairs form the test split. */
  testSet?: string | string[];
  /** Augmented versions per puzzle besides the original (default 1000, as both papers). */
  augmentations?: number;
  /** Leave test-set puzzles out of the train split entirely (default false: the reference mode). */
  leakFree?: boolean;
  /** Seed (default 42, the reference builders' seed; the random streams differ from numpy's). */
  seed?: number;
  /** Random translation of training examples (default true, as the reference). */
  translate?: boolean;
  /**
   * What to do with training pairs equal to a test answer (a test pair of a test-set puzzle): `keep` them (the
   * default of the reference mode, as the papers' builders; ARC-AGI-1 itself has one: training 40853293's test pair
   * is evaluation 070dd51e's), `drop` them from training (the default of the leak-free mode), or fail (`error`).
   */
  overlaps?: ArcOverlapPolicy;
}

/** See {@link ArcBuildOptions.overlaps}. */
export type ArcOverlapPolicy = "keep" | "drop" | "error";

/** What {@link buildArcDataset} wrote. */
export interface ArcBuildReport extends DatasetBuildReport {
  mode: ArcBuildMode;
  /** Identifiers including the blank (identifiers.json entries). */
  numPuzzleIdentifiers: number;
  /** Puzzles read, those in the test set, versions made (originals included). */
  puzzles: number;
  testSetPuzzles: number;
  versions: number;
  /** Puzzles with fewer unique versions than asked (symmetric puzzles). */
  shortPuzzles: ArcStreamStats["shortPuzzles"];
  /** Training pairs equal to a test answer, and what was done with them. */
  overlaps: ArcOverlap[];
  overlapPolicy: ArcOverlapPolicy;
  /** Things a user should know about the build (overlaps kept or dropped, puzzles left out). */
  warnings: string[];
  /** Bytes of everything written under `out`. */
  bytes: number;
}

/** The `recurse` field of an ARC dataset's `dataset.json`. */
export interface ArcDatasetInfo {
  dataset: "arc";
  mode: ArcBuildMode;
  testSets: string[];
  augmentations: number;
  seed: number;
  translate: boolean;
  inputs: string[];
  /** Puzzles per subset, e.g. `{ training: 400, evaluation: 400, Copy: 10, ... }`. */
  subsets: Record<string, number>;
  [key: string]: unknown;
}

/** Collects a puzzle's examples and hands them to the core writer as one puzzle. */
class WriterSink implements ArcSplitSink {
  private inputs = new Uint8Array(ARC_SEQ_LEN * 16);
  private labels = new Uint8Array(ARC_SEQ_LEN * 16);
  private examples = 0;
  constructor(readonly writer: PuzzleDatasetWriter) {}
  addExample(input: Uint8Array, label: Uint8Array): void {
    const at = this.examples * ARC_SEQ_LEN;
    if (at + ARC_SEQ_LEN > this.inputs.length) {
      const grow = (a: Uint8Array) => {
        const b = new Uint8Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.inputs = grow(this.inputs);
      this.labels = grow(this.labels);
    }
    this.inputs.set(input, at);
    this.labels.set(label, at);
    this.examples++;
  }
  endPuzzle(identifier: number): void {
    const n = this.examples * ARC_SEQ_LEN;
    this.writer.addPuzzle(this.inputs.subarray(0, n), this.labels.subarray(0, n), identifier);
    this.examples = 0;
  }
  endGroup(): void {
    this.writer.endGroup();
  }
}

async function sizeOf(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(path)) total += await sizeOf(join(path, entry));
  return total;
}

/** Copies of the training-bound tasks without the pairs equal to a test answer; tasks left with no pair are dropped. */
function dropOverlappingPairs(tasks: ArcTask[], isTest: (t: ArcTask) => boolean, overlaps: ArcOverlap[]): ArcTask[] {
  const answers = new Set<string>();
  const byId = new Map(tasks.map((t) => [t.id, t]));
  for (const o of overlaps) answers.add(pairHash(byId.get(o.testPuzzle)!.test[o.testPair]));
  const affected = new Set(overlaps.map((o) => o.trainPuzzle));
  const out: ArcTask[] = [];
  for (const t of tasks) {
    if (isTest(t) || !affected.has(t.id)) {
      out.push(t);
      continue;
    }
    const keep = (p: ArcPair) => !answers.has(pairHash(p));
    const copy = { ...t, train: t.train.filter(keep), test: t.test.filter(keep) };
    if (copy.train.length + copy.test.length > 0) out.push(copy);
  }
  return out;
}

/** The original puzzle in ARC JSON, as the TRM builder's test_puzzles.json holds it (unknown outputs left out). */
function taskJson(task: ArcTask): unknown {
  return {
    train: task.train.map((p) => ({ input: gridToRows(p.input), output: gridToRows(p.output) })),
    test: task.test.map((p) => (task.testOutputsKnown ? { input: gridToRows(p.input), output: gridToRows(p.output) } : { input: gridToRows(p.input) })),
  };
}

/**
 * Builds an ARC dataset in the reference on-disk layout, streaming (one puzzle version in memory at a time):
 * `<out>/train/` and `<out>/test/` (`dataset.json` + `all__*.npy`, tokens uint8 as the reference), `identifiers.json`
 * (`"<blank>"`, then one name per version, `"{id}|||t{tid}|||{perm}"` for augmentations) and `test_puzzles.json` (the
 * original test-set puzzles, for voting and submissions).
 *
 * Modes: the reference mode trains on the demonstration pairs of the test-set puzzles (as both papers do); the
 * leak-free mode (`leakFree`) keeps test-set puzzles out of the train split, and drops training pairs equal to a
 * test answer. In both, test pairs of the other subsets are training data.
 *
 * @example
 * ```ts
 * const report = await buildArcDataset({
 *   inputs: ["data/arc-agi-1", "data/concept-arc/corpus"], testSet: "evaluation", augmentations: 1000, seed: 42,
 *   out: "data/arc1concept-aug-1000",
 * });
 * report.numPuzzleIdentifiers; // about 961 * 1001
 * ```
 */
export async function buildArcDataset(
  options: ArcBuildOptions,
  hooks: { onProgress?: (done: number, total: number) => void } = {},
): Promise<ArcBuildReport> {
  const started = performance.now();
  const testSets = options.testSet === undefined ? ["evaluation"] : Array.isArray(options.testSet) ? options.testSet : [options.testSet];
  const augmentations = options.augmentations ?? 1000;
  const seed = options.seed ?? 42;
  const translate = options.translate ?? true;
  const mode: ArcBuildMode = options.leakFree ? "leak-free" : "reference";
  if (!Number.isInteger(augmentations) || augmentations < 0) {
    throw new ConfigError(`augmentations is ${augmentations}`, { field: "augmentations", expected: "a non-negative integer" });
  }
  if (options.inputs.length === 0) throw new ConfigError("no inputs", { field: "inputs", expected: "at least one ARC task directory or file" });

  const tasks = await loadArcInputs(options.inputs);
  const subsets: Record<string, number> = {};
  for (const t of tasks) subsets[t.source.subset] = (subsets[t.source.subset] ?? 0) + 1;
  const isTest = (t: ArcTask) => testSets.includes(t.source.subset);
  const testTasks = tasks.filter(isTest);
  if (testSets.length > 0 && testTasks.length === 0) {
    throw new ConfigError(`no puzzle belongs to the test set ${testSets.map((s) => JSON.stringify(s)).join(", ")}`, {
      field: "testSet",
      expected: `one of the subsets found: ${Object.keys(subsets).join(", ")}`,
    });
  }
  if (mode === "leak-free" && testTasks.length === tasks.length) {
    throw new ConfigError("every puzzle is in the test set, so the leak-free train split would be empty", { field: "leakFree", expected: "some training puzzles" });
  }
  const overlapPolicy: ArcOverlapPolicy = options.overlaps ?? (mode === "leak-free" ? "drop" : "keep");
  const overlaps = findOverlaps(tasks, isTest);
  const warnings: string[] = [];
  let buildTasks = tasks;
  if (overlaps.length > 0) {
    const leaked = new Set(overlaps.map((o) => o.testPuzzle));
    const first = overlaps[0];
    const what =
      `${overlaps.length} training pair(s) equal test answers of ${leaked.size} test-set puzzle(s), e.g. ${first.testPuzzle} test[${first.testPair}] ` +
      `is a pair of ${first.trainPuzzle} (${first.trainFile})`;
    if (overlapPolicy === "error") {
      throw new DataFormatError(`${what}; training on them leaks the answers`, {
        file: first.testFile,
        field: `puzzle ${first.testPuzzle}`,
        expected: "training inputs disjoint from the test set (ARC-AGI-2 training holds 376 ARC-AGI-1 evaluation puzzles; do not mix them)",
      });
    }
    if (overlapPolicy === "keep") warnings.push(`${what}; kept in training (overlaps: "drop" removes them)`);
    else {
      buildTasks = dropOverlappingPairs(tasks, isTest, overlaps);
      const gone = tasks.length - buildTasks.length;
      warnings.push(`${what}; dropped from training` + (gone > 0 ? `, leaving ${gone} puzzle(s) without pairs, left out` : ""));
    }
  }

  const info: ArcDatasetInfo = {
    dataset: "arc",
    mode,
    testSets,
    augmentations,
    seed,
    translate,
    inputs: options.inputs,
    subsets,
    overlaps: { policy: overlapPolicy, pairs: overlaps.length },
  };
  const writerOptions = { seqLen: ARC_SEQ_LEN, vocabSize: ARC_VOCAB_SIZE, inputDtype: "uint8" as const };
  let train!: PuzzleDatasetWriter;
  let test: PuzzleDatasetWriter | null = null;
  let stats!: ArcStreamStats;
  // Built beside `out` and renamed into place: a failed or killed rebuild leaves the previous dataset as it was,
  // never a mix of two builds (whose puzzle identifiers would not match).
  await writeDirectoryAtomic(options.out, async (dir) => {
    train = PuzzleDatasetWriter.open(dir, "train", writerOptions);
    test = testTasks.length > 0 ? PuzzleDatasetWriter.open(dir, "test", writerOptions) : null;
    const names = new JsonListWriter(join(dir, "identifiers.json"));
    try {
      names.push("<blank>");
      const noTest: ArcSplitSink = {
        addExample: () => {},
        endPuzzle: () => {},
        endGroup: () => {},
      };
      stats = streamArcBuild(
        buildTasks,
        { testSets, augmentations, mode, seed, translate },
        { train: new WriterSink(train), test: test ? new WriterSink(test) : noTest },
        (name) => names.push(name),
        (_task, index) => hooks.onProgress?.(index + 1, buildTasks.length),
      );
      names.close();
    } catch (e) {
      train.abort();
      (test as PuzzleDatasetWriter | null)?.abort();
      throw e;
    }
    const close = (w: PuzzleDatasetWriter): Promise<PuzzleDatasetMetadata> =>
      w.close({ padId: ARC_PAD, ignoreLabelId: ARC_PAD, blankIdentifierId: 0, numPuzzleIdentifiers: stats.numPuzzleIdentifiers, recurse: info });
    await close(train);
    if (test) await close(test);
    await writeFile(join(dir, "test_puzzles.json"), JSON.stringify(Object.fromEntries(testTasks.map((t) => [t.id, taskJson(t)]))) + "\n");
  });

  const splits: DatasetBuildReport["splits"] = { train: train.counts };
  if (test) splits.test = (test as PuzzleDatasetWriter).counts;
  return {
    out: options.out,
    splits,
    seconds: (performance.now() - started) / 1000,
    mode,
    numPuzzleIdentifiers: stats.numPuzzleIdentifiers,
    puzzles: stats.puzzles,
    testSetPuzzles: stats.testSetPuzzles,
    versions: stats.versions,
    shortPuzzles: stats.shortPuzzles,
    overlaps,
    overlapPolicy,
    warnings,
    bytes: await sizeOf(options.out),
  };
}
