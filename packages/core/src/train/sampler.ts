import { ConfigError, CheckpointError } from "../errors";
import type { PuzzleDatasetSplit } from "../formats/puzzle-dataset-types";
import { Rng } from "../rng";
import type { PuzzleBatch } from "../reasoner/types";
import { collateExamples } from "./collate";

/** Where a {@link TrainSampler} stands, for checkpoints (JSON-able). */
export interface SamplerState {
  rng: number[];
  epoch: number;
  /** Next position in `order`. */
  cursor: number;
  /** This epoch's group permutation. */
  order: number[];
}

/**
 * Training batches as the reference's `PuzzleDataset._iter_train`: every epoch permutes the groups; each group in
 * turn contributes one random puzzle (one augmentation of the original) and that puzzle's examples in random order
 * (only as many as still fit) until the batch is full; the incomplete batch at an epoch's end is dropped. Seeded
 * and resumable ({@link getState}/{@link setState}). The reference draws the example subset from numpy's global,
 * unseeded generator; here every draw comes from the one seeded Rng.
 *
 * @example
 * ```ts
 * const sampler = new TrainSampler(train, { batchSize: 768, seed: 0 });
 * const batch = sampler.next(); // PuzzleBatch, labels with -100
 * ```
 */
export class TrainSampler {
  readonly batchSize: number;
  private readonly rng: Rng;
  private epochIndex = 0;
  private cursor = 0;
  private order: Int32Array = new Int32Array(0);
  private readonly numGroups: number;
  private started = false;

  constructor(
    private readonly split: PuzzleDatasetSplit,
    options: { batchSize: number; seed: number },
  ) {
    this.batchSize = options.batchSize;
    this.numGroups = split.groupIndices.length - 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new ConfigError(`batch size is ${this.batchSize}`, { field: "batchSize", expected: "an integer ≥ 1" });
    }
    const examples = split.inputs.length / split.metadata.seqLen;
    if (examples < this.batchSize) {
      throw new ConfigError(`the training split has ${examples} examples, fewer than one batch of ${this.batchSize}`, {
        field: "batchSize",
        expected: `at most ${examples}`,
      });
    }
    this.rng = new Rng(options.seed);
  }

  /** The epoch in progress, from 0. */
  get epoch(): number {
    return this.epochIndex;
  }

  /** The next full batch; starts a new epoch when the current one cannot fill another batch. */
  next(): PuzzleBatch {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!this.started || this.cursor >= this.order.length) this.startEpoch();
      const batch = this.fill();
      if (batch) return batch;
      this.cursor = this.order.length; // the incomplete tail is dropped
    }
    throw new ConfigError("one epoch of the training split cannot fill a batch", {
      field: "batchSize",
      expected: "at most the examples of one augmentation per group",
    });
  }

  private startEpoch(): void {
    if (this.started) this.epochIndex++;
    this.started = true;
    this.order = this.rng.permutation(this.numGroups);
    this.cursor = 0;
  }

  private fill(): PuzzleBatch | null {
    const { puzzleIndices, groupIndices } = this.split;
    const examples: number[] = [];
    const puzzles: number[] = [];
    while (this.cursor < this.order.length && examples.length < this.batchSize) {
      const group = this.order[this.cursor++];
      const puzzle = this.rng.int(groupIndices[group], groupIndices[group + 1]);
      const start = puzzleIndices[puzzle];
      const size = puzzleIndices[puzzle + 1] - start;
      const take = Math.min(size, this.batchSize - examples.length);
      // A random subset of `take` of the puzzle's examples, in random order (partial Fisher-Yates).
      const pick = Array.from({ length: size }, (_, i) => i);
      for (let i = 0; i < take; i++) {
        const j = this.rng.int(i, size);
        [pick[i], pick[j]] = [pick[j], pick[i]];
        examples.push(start + pick[i]);
        puzzles.push(puzzle);
      }
    }
    return examples.length < this.batchSize ? null : collateExamples(this.split, examples, puzzles);
  }

  getState(): SamplerState {
    return { rng: this.rng.getState(), epoch: this.epochIndex, cursor: this.cursor, order: Array.from(this.order) };
  }

  setState(state: SamplerState): this {
    if (!Array.isArray(state?.rng) || !Array.isArray(state.order) || state.order.some((g) => g < 0 || g >= this.numGroups)) {
      throw new CheckpointError("sampler state does not fit this dataset", {
        field: "sampler",
        expected: `a group order over ${this.numGroups} groups`,
      });
    }
    this.rng.setState(state.rng);
    this.epochIndex = state.epoch;
    this.cursor = state.cursor;
    this.order = Int32Array.from(state.order);
    this.started = this.order.length > 0;
    return this;
  }
}

/**
 * Optimizer steps for a number of epochs, as the reference: ⌊epochs · totalGroups · meanPuzzleExamples / batch⌋.
 *
 * @example
 * ```ts
 * stepsForEpochs(20000, { totalGroups: 1000, meanPuzzleExamples: 1 }, 768); // 26041
 * ```
 */
export function stepsForEpochs(
  epochs: number,
  metadata: { totalGroups: number; meanPuzzleExamples: number },
  batchSize: number,
): number {
  return Math.floor((epochs * metadata.totalGroups * metadata.meanPuzzleExamples) / batchSize);
}
