import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DataFormatError } from "../errors";
import { readNpy, writeNpy, type NpyArray } from "./npy";
import { showValue } from "./show-value";
import { metadataFromJson, metadataToJson } from "./puzzle-dataset-metadata";
import type { PuzzleDatasetMetadata, PuzzleDatasetSplit } from "./puzzle-dataset-types";
import { PUZZLE_ARRAYS, validatePuzzleDatasetSplit, type PuzzleArrayFiles, type PuzzleArrayName } from "./puzzle-dataset-validate";

/** The only set name the reference builders use. */
export const PUZZLE_SET = "all";

/**
 * Paths of one split: `<root>/<split>/dataset.json` and `<root>/<split>/all__<array>.npy`.
 *
 * @example
 * puzzleDatasetFiles("data/sudoku", "train").inputs; // "data/sudoku/train/all__inputs.npy"
 */
export function puzzleDatasetFiles(root: string, split: string): PuzzleArrayFiles {
  const dir = join(root, split);
  const files = { metadata: join(dir, "dataset.json") } as PuzzleArrayFiles;
  for (const name of PUZZLE_ARRAYS) files[name] = join(dir, `${PUZZLE_SET}__${name}.npy`);
  return files;
}

/** Token dtype on disk: the reference stores uint8 tokens (Sudoku, mazes, ARC); int32 for larger vocabularies. */
export type TokenDtype = "int32" | "uint8";

/** Options of {@link writePuzzleDataset}. */
export interface WritePuzzleDatasetOptions {
  /** Names by puzzle identifier, written to `<root>/identifiers.json` (index 0 is `<blank>` in the reference). */
  identifiers?: readonly string[];
  /** dtype of `inputs` on disk (default int32). */
  inputDtype?: TokenDtype;
  /** dtype of `labels` on disk (default: `inputDtype`). */
  labelDtype?: TokenDtype;
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new DataFormatError(`cannot read file: ${(cause as Error).message}`, { file: path }, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new DataFormatError(`invalid JSON: ${(cause as Error).message}`, { file: path }, { cause });
  }
}

async function writeJson(path: string, value: unknown): Promise<void> {
  try {
    await writeFile(path, JSON.stringify(value) + "\n");
  } catch (cause) {
    throw new DataFormatError(`cannot write file: ${(cause as Error).message}`, { file: path }, { cause });
  }
}

/** Read and validate one split's `dataset.json`. */
export async function readPuzzleDatasetMetadata(root: string, split: string): Promise<PuzzleDatasetMetadata> {
  const file = puzzleDatasetFiles(root, split).metadata;
  return metadataFromJson(await readJson(file), file);
}

function asInt32(array: NpyArray, file: string, ndim: number, name: PuzzleArrayName): Int32Array {
  if (array.dtype !== "int32" && array.dtype !== "uint8") {
    throw new DataFormatError(`dtype ${array.storedDtype ?? array.dtype}`, { file, field: "descr", expected: "an integer dtype (int32, int64 or uint8)" });
  }
  if (array.shape.length !== ndim) {
    throw new DataFormatError(`${name} has shape [${array.shape.join(", ")}]`, { file, field: "shape", expected: `${ndim} dimension${ndim > 1 ? "s" : ""}` });
  }
  return array.data instanceof Int32Array ? array.data : Int32Array.from(array.data);
}

/**
 * Read one split of a reference-format dataset (HRM/TRM builders' output or ours) and validate it: shapes agree,
 * offsets monotone and complete, token ids below vocab_size, identifiers below num_puzzle_identifiers.
 * Token arrays stored as uint8 or int64 are widened/narrowed to Int32Array.
 *
 * @example
 * const train = await readPuzzleDataset("data/sudoku-extreme-1k-aug-1000", "train");
 * train.metadata.seqLen; // 81
 */
export async function readPuzzleDataset(root: string, split: string): Promise<PuzzleDatasetSplit> {
  const files = puzzleDatasetFiles(root, split);
  const metadata = await readPuzzleDatasetMetadata(root, split);
  const [inputs, labels, ids, puzzleIndices, groupIndices] = await Promise.all(PUZZLE_ARRAYS.map((name) => readNpy(files[name])));
  for (const [name, arr] of [["inputs", inputs], ["labels", labels]] as const) {
    if (arr.shape.length === 2 && arr.shape[1] !== metadata.seqLen) {
      throw new DataFormatError(`rows of ${arr.shape[1]} tokens`, { file: files[name], field: "shape", expected: `[n, ${metadata.seqLen}] (seq_len of dataset.json)` });
    }
  }
  const data: PuzzleDatasetSplit = {
    metadata,
    inputs: asInt32(inputs, files.inputs, 2, "inputs"),
    labels: asInt32(labels, files.labels, 2, "labels"),
    puzzleIdentifiers: asInt32(ids, files.puzzle_identifiers, 1, "puzzle_identifiers"),
    puzzleIndices: asInt32(puzzleIndices, files.puzzle_indices, 1, "puzzle_indices"),
    groupIndices: asInt32(groupIndices, files.group_indices, 1, "group_indices"),
  };
  validatePuzzleDatasetSplit(data, files);
  return data;
}

/**
 * Write one split in the reference layout after validating it (same checks as {@link readPuzzleDataset}).
 * For datasets too large for memory use {@link PuzzleDatasetWriter}.
 *
 * @example
 * await writePuzzleDataset("out/sudoku", "test", split, { identifiers: ["<blank>"], inputDtype: "uint8" });
 */
export async function writePuzzleDataset(root: string, split: string, data: PuzzleDatasetSplit, options: WritePuzzleDatasetOptions = {}): Promise<void> {
  const files = puzzleDatasetFiles(root, split);
  validatePuzzleDatasetSplit(data, {
    ...files,
    metadata: `${files.metadata} (to write)`,
  });
  const inputDtype = options.inputDtype ?? "int32";
  const labelDtype = options.labelDtype ?? inputDtype;
  try {
    await mkdir(join(root, split), { recursive: true });
  } catch (cause) {
    throw new DataFormatError(`cannot create directory: ${(cause as Error).message}`, { file: join(root, split) }, { cause });
  }
  const { seqLen } = data.metadata;
  const rows = data.inputs.length / seqLen;
  await writeNpy(files.inputs, { dtype: inputDtype, shape: [rows, seqLen], data: data.inputs });
  await writeNpy(files.labels, { dtype: labelDtype, shape: [rows, seqLen], data: data.labels });
  await writeNpy(files.puzzle_identifiers, { dtype: "int32", shape: [data.puzzleIdentifiers.length], data: data.puzzleIdentifiers });
  await writeNpy(files.puzzle_indices, { dtype: "int32", shape: [data.puzzleIndices.length], data: data.puzzleIndices });
  await writeNpy(files.group_indices, { dtype: "int32", shape: [data.groupIndices.length], data: data.groupIndices });
  await writeJson(files.metadata, metadataToJson(data.metadata));
  if (options.identifiers) await writeIdentifiers(root, options.identifiers);
}

/**
 * Read `<root>/identifiers.json`: puzzle names indexed by puzzle identifier (`"<blank>"` at 0 in the reference).
 *
 * @example
 * const names = await readIdentifiers("data/arc-aug-1000"); // ["<blank>", "007bbfb7", ...]
 */
export async function readIdentifiers(root: string): Promise<string[]> {
  const file = join(root, "identifiers.json");
  const value = await readJson(file);
  if (!Array.isArray(value)) throw new DataFormatError("not a list", { file, expected: "a JSON list of strings" });
  value.forEach((v, i) => {
    if (typeof v !== "string") throw new DataFormatError(`entry is ${showValue(v)}`, { file, field: `[${i}]`, expected: "a string" });
  });
  return value as string[];
}

/** Write `<root>/identifiers.json` (see {@link readIdentifiers}). */
export async function writeIdentifiers(root: string, identifiers: readonly string[]): Promise<void> {
  const file = join(root, "identifiers.json");
  identifiers.forEach((v, i) => {
    if (typeof v !== "string") throw new DataFormatError(`entry is ${showValue(v)}`, { file, field: `[${i}]`, expected: "a string" });
  });
  try {
    await mkdir(root, { recursive: true });
  } catch (cause) {
    throw new DataFormatError(`cannot create directory: ${(cause as Error).message}`, { file: root }, { cause });
  }
  await writeJson(file, identifiers);
}
