import { mkdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DataFormatError } from "../errors";
import { NpyWriter } from "./npy-writer";
import { showValue } from "./show-value";
import { puzzleDatasetFiles, writeIdentifiers, PUZZLE_SET, type TokenDtype } from "./puzzle-dataset";
import { metadataToJson } from "./puzzle-dataset-metadata";
import type { PuzzleDatasetMetadata } from "./puzzle-dataset-types";
import type { PuzzleArrayFiles } from "./puzzle-dataset-validate";

/** Options of {@link PuzzleDatasetWriter.open}: what must be known before the first example. */
export interface PuzzleDatasetWriterOptions {
  seqLen: number;
  /** Every input token, and every label except the ignore id, must be below this. */
  vocabSize: number;
  /** dtype of `inputs` on disk (default int32). */
  inputDtype?: TokenDtype;
  /** dtype of `labels` on disk (default: `inputDtype`). */
  labelDtype?: TokenDtype;
}

/**
 * Metadata given at `close()`. `totalGroups` is always counted; `meanPuzzleExamples` (examples / puzzles) and
 * `totalPuzzles` (puzzles) are counted as the reference ARC builder does unless given (the reference Sudoku and maze
 * builders write `mean_puzzle_examples = 1` and `total_puzzles = total_groups`).
 */
export interface PuzzleDatasetCloseOptions {
  padId: number;
  ignoreLabelId: number | null;
  blankIdentifierId: number;
  numPuzzleIdentifiers: number;
  meanPuzzleExamples?: number;
  totalPuzzles?: number;
  recurse?: PuzzleDatasetMetadata["recurse"];
  /** Also write `<root>/identifiers.json`. */
  identifiers?: readonly string[];
}

/**
 * Streams one split of a reference-format dataset to disk: puzzles (each one or more examples) grouped into groups
 * (e.g. an original puzzle and its augmentations). Memory stays bounded by the write buffers, so ARC with 1000
 * augmentations of 960 puzzles streams without holding the examples.
 *
 * @example
 * const w = PuzzleDatasetWriter.open("out/sudoku", "train", { seqLen: 81, vocabSize: 11, inputDtype: "uint8" });
 * w.addPuzzle(inputRow, labelRow, 0); // one example, blank identifier
 * w.endGroup();
 * const metadata = await w.close({ padId: 0, ignoreLabelId: 0, blankIdentifierId: 0, numPuzzleIdentifiers: 1 });
 */
export class PuzzleDatasetWriter {
  readonly root: string;
  readonly split: string;
  private readonly options: Required<PuzzleDatasetWriterOptions>;
  private readonly files: PuzzleArrayFiles;
  private readonly writers: {
    inputs: NpyWriter;
    labels: NpyWriter;
    puzzle_identifiers: NpyWriter;
    puzzle_indices: NpyWriter;
    group_indices: NpyWriter;
  };
  private examples = 0;
  private puzzles = 0;
  private groups = 0;
  private puzzlesAtGroupStart = 0;
  private maxIdentifier = -1;
  /** The one label value outside [0, vocabSize) seen so far; it must turn out to be the ignore id. */
  private labelOutsideVocab: number | null = null;
  private closed = false;

  private constructor(root: string, split: string, options: Required<PuzzleDatasetWriterOptions>) {
    this.root = root;
    this.split = split;
    this.options = options;
    this.files = puzzleDatasetFiles(root, split);
    const f = this.files;
    const opened: NpyWriter[] = [];
    try {
      const open = (path: string, dtype: TokenDtype, inner: number[]) => {
        const w = NpyWriter.open(path, dtype, inner);
        opened.push(w);
        return w;
      };
      this.writers = {
        inputs: open(f.inputs, options.inputDtype, [options.seqLen]),
        labels: open(f.labels, options.labelDtype, [options.seqLen]),
        puzzle_identifiers: open(f.puzzle_identifiers, "int32", []),
        puzzle_indices: open(f.puzzle_indices, "int32", []),
        group_indices: open(f.group_indices, "int32", []),
      };
    } catch (e) {
      for (const w of opened) w.abort();
      throw e;
    }
    this.writers.puzzle_indices.append([0]);
    this.writers.group_indices.append([0]);
  }

  /** Create `<root>/<split>/` and start the five array files. */
  static open(root: string, split: string, options: PuzzleDatasetWriterOptions): PuzzleDatasetWriter {
    const at = { file: join(root, split) };
    for (const key of ["seqLen", "vocabSize"] as const) {
      const v = options[key];
      if (!Number.isSafeInteger(v) || v <= 0) throw new DataFormatError(`${key} is ${showValue(v)}`, { ...at, field: key, expected: "a positive integer" });
    }
    try {
      mkdirSync(join(root, split), { recursive: true });
    } catch (cause) {
      throw new DataFormatError(`cannot create directory: ${(cause as Error).message}`, at, { cause });
    }
    const inputDtype = options.inputDtype ?? "int32";
    return new PuzzleDatasetWriter(root, split, { ...options, inputDtype, labelDtype: options.labelDtype ?? inputDtype });
  }

  /** Examples, puzzles and groups written so far (the open group's puzzles included). */
  get counts(): { examples: number; puzzles: number; groups: number } {
    return { examples: this.examples, puzzles: this.puzzles, groups: this.groups };
  }

  /**
   * Add one puzzle: `inputs` and `labels` are its examples' rows flattened ([k, seqLen], k >= 1), `identifier` its
   * puzzle identifier.
   */
  addPuzzle(inputs: ArrayLike<number>, labels: ArrayLike<number>, identifier: number): void {
    this.assertOpen();
    const { seqLen, vocabSize } = this.options;
    const field = `puzzle ${this.puzzles}`;
    if (inputs.length === 0 || inputs.length % seqLen !== 0) {
      throw new DataFormatError(`${inputs.length} input tokens is not a positive whole number of rows`, { file: this.files.inputs, field, expected: `a multiple of seq_len ${seqLen}` });
    }
    if (labels.length !== inputs.length) {
      throw new DataFormatError(`${labels.length} label tokens for ${inputs.length} input tokens`, { file: this.files.labels, field, expected: `${inputs.length}` });
    }
    if (!Number.isInteger(identifier) || identifier < 0 || identifier > 2147483647) {
      throw new DataFormatError(`identifier ${identifier}`, { file: this.files.puzzle_identifiers, field, expected: "a non-negative int32" });
    }
    for (let i = 0; i < inputs.length; i++) {
      const t = inputs[i];
      if (!(t >= 0 && t < vocabSize)) {
        throw new DataFormatError(`input token ${t} at position ${i}`, { file: this.files.inputs, field, expected: `ids in [0, ${vocabSize})` });
      }
    }
    for (let i = 0; i < labels.length; i++) {
      const t = labels[i];
      if (t >= 0 && t < vocabSize) continue;
      if (this.labelOutsideVocab === null && Number.isInteger(t)) this.labelOutsideVocab = t;
      else if (t !== this.labelOutsideVocab) {
        throw new DataFormatError(`label token ${t} at position ${i}`, {
          file: this.files.labels,
          field,
          expected: `ids in [0, ${vocabSize}) or one ignore id${this.labelOutsideVocab !== null ? ` (${this.labelOutsideVocab} seen before)` : ""}`,
        });
      }
    }
    this.writers.inputs.append(inputs);
    this.writers.labels.append(labels);
    this.examples += inputs.length / seqLen;
    this.puzzles += 1;
    this.maxIdentifier = Math.max(this.maxIdentifier, identifier);
    this.writers.puzzle_identifiers.append([identifier]);
    this.writers.puzzle_indices.append([this.examples]);
  }

  /** Close the current group (its puzzles are, e.g., one original and its augmentations). */
  endGroup(): void {
    this.assertOpen();
    if (this.puzzles === this.puzzlesAtGroupStart) {
      throw new DataFormatError("empty group", { file: this.files.group_indices, field: `group ${this.groups}`, expected: "at least one puzzle per group" });
    }
    this.groups += 1;
    this.puzzlesAtGroupStart = this.puzzles;
    this.writers.group_indices.append([this.puzzles]);
  }

  /**
   * Finish the arrays, write `dataset.json` (and `identifiers.json` if given) and return the metadata. A group still
   * open is an error, as is a label outside the vocabulary that is not the ignore id.
   */
  async close(options: PuzzleDatasetCloseOptions): Promise<PuzzleDatasetMetadata> {
    this.assertOpen();
    if (this.puzzles !== this.puzzlesAtGroupStart) {
      throw new DataFormatError(`${this.puzzles - this.puzzlesAtGroupStart} puzzles added after the last endGroup()`, {
        file: this.files.group_indices,
        expected: "endGroup() before close()",
      });
    }
    if (this.labelOutsideVocab !== null && this.labelOutsideVocab !== options.ignoreLabelId) {
      throw new DataFormatError(`label token ${this.labelOutsideVocab} outside the vocabulary`, {
        file: this.files.labels,
        expected: `ids in [0, ${this.options.vocabSize}) or the ignore id ${String(options.ignoreLabelId)}`,
      });
    }
    if (this.maxIdentifier >= options.numPuzzleIdentifiers) {
      throw new DataFormatError(`identifier ${this.maxIdentifier} used`, {
        file: this.files.puzzle_identifiers,
        expected: `ids below num_puzzle_identifiers ${options.numPuzzleIdentifiers}`,
      });
    }
    this.closed = true;
    for (const w of Object.values(this.writers)) await w.close();
    const metadata: PuzzleDatasetMetadata = {
      padId: options.padId,
      ignoreLabelId: options.ignoreLabelId,
      blankIdentifierId: options.blankIdentifierId,
      vocabSize: this.options.vocabSize,
      seqLen: this.options.seqLen,
      numPuzzleIdentifiers: options.numPuzzleIdentifiers,
      totalGroups: this.groups,
      meanPuzzleExamples: options.meanPuzzleExamples ?? (this.puzzles > 0 ? this.examples / this.puzzles : 0),
      totalPuzzles: options.totalPuzzles ?? this.puzzles,
      sets: [PUZZLE_SET],
    };
    if (options.recurse !== undefined) metadata.recurse = options.recurse;
    try {
      await writeFile(this.files.metadata, JSON.stringify(metadataToJson(metadata)) + "\n");
    } catch (cause) {
      throw new DataFormatError(`cannot write file: ${(cause as Error).message}`, { file: this.files.metadata }, { cause });
    }
    if (options.identifiers) await writeIdentifiers(this.root, options.identifiers);
    return metadata;
  }

  /** Stop and delete the partial array files (after an error in the producer). */
  abort(): void {
    this.closed = true;
    for (const w of Object.values(this.writers)) w.abort();
  }

  private assertOpen(): void {
    if (this.closed) throw new DataFormatError("writer is already closed", { file: join(this.root, this.split) });
  }
}
