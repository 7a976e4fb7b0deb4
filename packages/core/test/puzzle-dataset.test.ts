import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DataFormatError,
  PuzzleDatasetWriter,
  encodeNpy,
  readIdentifiers,
  readNpy,
  readPuzzleDataset,
  writeNpy,
  writePuzzleDataset,
  type PuzzleDatasetSplit,
} from "@recurse/core";

const SEQ = 4;

/** 2 groups: group 0 = puzzles 0 (2 examples) and 1 (1 example); group 1 = puzzle 2 (3 examples). */
function sample(): PuzzleDatasetSplit {
  const examples = 6;
  const inputs = new Int32Array(examples * SEQ).map((_, i) => i % 5);
  const labels = new Int32Array(examples * SEQ).map((_, i) => (i % 7 === 0 ? 0 : 1 + (i % 4)));
  return {
    metadata: {
      padId: 0,
      ignoreLabelId: 0,
      blankIdentifierId: 0,
      vocabSize: 6,
      seqLen: SEQ,
      numPuzzleIdentifiers: 4,
      totalGroups: 2,
      meanPuzzleExamples: 2,
      totalPuzzles: 3,
      sets: ["all"],
      recurse: { dataset: "test", note: "unit" },
    },
    inputs,
    labels,
    puzzleIdentifiers: new Int32Array([1, 2, 3]),
    puzzleIndices: new Int32Array([0, 2, 3, 6]),
    groupIndices: new Int32Array([0, 2, 3]),
  };
}

async function rejectsWith(p: Promise<unknown>, ...parts: RegExp[]): Promise<DataFormatError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataFormatError);
  for (const part of parts) expect((err as Error).message).toMatch(part);
  return err as DataFormatError;
}

describe("reference dataset layout", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "recurse-ds-"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("writes the reference files and reads them back unchanged", async () => {
    const data = sample();
    await writePuzzleDataset(root, "train", data, { identifiers: ["<blank>", "a", "b", "c"], inputDtype: "uint8" });
    const dir = join(root, "train");
    for (const f of ["dataset.json", "all__inputs.npy", "all__labels.npy", "all__puzzle_identifiers.npy", "all__puzzle_indices.npy", "all__group_indices.npy"]) {
      expect(existsSync(join(dir, f))).toBe(true);
    }
    const json = JSON.parse(await readFile(join(dir, "dataset.json"), "utf8"));
    expect(Object.keys(json)).toEqual([
      "pad_id",
      "ignore_label_id",
      "blank_identifier_id",
      "vocab_size",
      "seq_len",
      "num_puzzle_identifiers",
      "total_groups",
      "mean_puzzle_examples",
      "total_puzzles",
      "sets",
      "recurse",
    ]);
    expect(json).toMatchObject({ vocab_size: 6, seq_len: 4, total_groups: 2, sets: ["all"], recurse: { dataset: "test", note: "unit" } });

    // group_indices is int32 [3] = [0, 2, 3], exactly as np.save writes it.
    const expected = encodeNpy({ dtype: "int32", shape: [3], data: [0, 2, 3] });
    expect(Buffer.from(await readFile(join(dir, "all__group_indices.npy"))).equals(Buffer.from(expected))).toBe(true);
    const inputsFile = await readNpy(join(dir, "all__inputs.npy"));
    expect(inputsFile.storedDtype).toBe("uint8");
    expect(inputsFile.shape).toEqual([6, 4]);

    const back = await readPuzzleDataset(root, "train");
    expect(back.metadata).toEqual(data.metadata);
    expect(back.inputs).toEqual(data.inputs);
    expect(back.labels).toEqual(data.labels);
    expect(back.puzzleIdentifiers).toEqual(data.puzzleIdentifiers);
    expect(back.puzzleIndices).toEqual(data.puzzleIndices);
    expect(back.groupIndices).toEqual(data.groupIndices);
    expect(await readIdentifiers(root)).toEqual(["<blank>", "a", "b", "c"]);
  });

  it("reads a dataset.json without total_puzzles or recurse (HRM builders) and int64 index arrays", async () => {
    const data = sample();
    await writePuzzleDataset(root, "hrm", data);
    const dir = join(root, "hrm");
    const { total_puzzles: _tp, recurse: _r, ...hrmJson } = JSON.parse(await readFile(join(dir, "dataset.json"), "utf8"));
    await writeFile(join(dir, "dataset.json"), JSON.stringify({ ...hrmJson, extra_fork_field: 1 }));
    // np.int64 offsets, as np.array(list) gives without an explicit dtype.
    const i64 = new BigInt64Array([0n, 2n, 3n, 6n]);
    const i32Header = Buffer.from(encodeNpy({ dtype: "int32", shape: [4], data: [0, 0, 0, 0] }).subarray(0, 128)).toString("latin1");
    const bytes = Buffer.concat([Buffer.from(i32Header.replace("'<i4'", "'<i8'"), "latin1"), Buffer.from(i64.buffer)]);
    await writeFile(join(dir, "all__puzzle_indices.npy"), bytes);
    const back = await readPuzzleDataset(root, "hrm");
    expect(back.metadata.totalPuzzles).toBeUndefined();
    expect(back.metadata.recurse).toBeUndefined();
    expect(Array.from(back.puzzleIndices)).toEqual([0, 2, 3, 6]);
  });

  it("refuses to write inconsistent splits, naming the array and the expected form", async () => {
    const d1 = sample();
    d1.puzzleIndices = new Int32Array([0, 3, 2, 6]);
    await rejectsWith(writePuzzleDataset(root, "bad", d1), /all__puzzle_indices\.npy: puzzle_indices/, /not increasing at index 2/);
    const d2 = sample();
    d2.labels = d2.labels.slice(0, SEQ * 5);
    await rejectsWith(writePuzzleDataset(root, "bad", d2), /all__labels\.npy: shape/, /labels hold 5 rows, inputs 6/);
    const d3 = sample();
    d3.inputs[9] = 6;
    await rejectsWith(writePuzzleDataset(root, "bad", d3), /all__inputs\.npy: data: token 6 at example 2, position 1/, /ids in \[0, 6\)/);
    const d4 = sample();
    d4.metadata.totalGroups = 3;
    await rejectsWith(writePuzzleDataset(root, "bad", d4), /total_groups is 3 but group_indices holds 2 groups/);
    const d5 = sample();
    d5.puzzleIdentifiers[1] = 4;
    await rejectsWith(writePuzzleDataset(root, "bad", d5), /identifier 4 of puzzle 1/, /ids in \[0, 4\)/);
    const d6 = sample();
    d6.groupIndices = new Int32Array([0, 2, 4]);
    await rejectsWith(writePuzzleDataset(root, "bad", d6), /group_indices: last offset is 4 \(expected 3\)/);
    const d7 = sample();
    d7.metadata.ignoreLabelId = -100;
    d7.labels[0] = -100;
    await rejectsWith(writePuzzleDataset(root, "bad", d7, { inputDtype: "uint8" }), /all__labels\.npy: data/, /-100 at index 0 does not fit uint8/);
    await writePuzzleDataset(root, "ignore", d7); // int32 labels hold the ignore id
    expect((await readPuzzleDataset(root, "ignore")).labels[0]).toBe(-100);
  });

  it("validates what it reads, naming the file and field", async () => {
    const data = sample();
    await writePuzzleDataset(root, "r", data);
    const dir = join(root, "r");
    const meta = JSON.parse(await readFile(join(dir, "dataset.json"), "utf8"));

    await writeFile(join(dir, "dataset.json"), JSON.stringify({ ...meta, seq_len: "4" }));
    const e1 = await rejectsWith(readPuzzleDataset(root, "r"), /dataset\.json: seq_len: invalid metadata/, /expected number/);
    expect(e1.location.field).toBe("seq_len");

    await writeFile(join(dir, "dataset.json"), "{not json");
    await rejectsWith(readPuzzleDataset(root, "r"), /dataset\.json: invalid JSON/);

    await writeFile(join(dir, "dataset.json"), JSON.stringify({ ...meta, seq_len: 3 }));
    await rejectsWith(readPuzzleDataset(root, "r"), /all__inputs\.npy: shape: rows of 4 tokens/, /seq_len of dataset\.json/);

    await writeFile(join(dir, "dataset.json"), JSON.stringify({ ...meta, vocab_size: 4 }));
    await rejectsWith(readPuzzleDataset(root, "r"), /all__inputs\.npy: data: token 4 at example 1, position 0/);

    await writeFile(join(dir, "dataset.json"), JSON.stringify({ ...meta, sets: ["train"] }));
    await rejectsWith(readPuzzleDataset(root, "r"), /sets are \[train\]/);

    await writeFile(join(dir, "dataset.json"), JSON.stringify(meta));
    await writeNpy(join(dir, "all__group_indices.npy"), { dtype: "float32", shape: [3], data: [0, 2, 3] });
    await rejectsWith(readPuzzleDataset(root, "r"), /all__group_indices\.npy: descr: dtype float32/, /integer dtype/);
    await writeNpy(join(dir, "all__group_indices.npy"), { dtype: "int32", shape: [3, 1], data: [0, 2, 3] });
    await rejectsWith(readPuzzleDataset(root, "r"), /all__group_indices\.npy: shape/, /1 dimension/);
    await rm(join(dir, "all__group_indices.npy"));
    await rejectsWith(readPuzzleDataset(root, "r"), /all__group_indices\.npy: cannot read file/);
    await rejectsWith(readPuzzleDataset(root, "nope"), /nope.dataset\.json: cannot read file/);
  });

  it("reads identifiers.json strictly", async () => {
    const r = await mkdtemp(join(root, "ids-"));
    await writeFile(join(r, "identifiers.json"), JSON.stringify(["<blank>", 3]));
    await rejectsWith(readIdentifiers(r), /identifiers\.json: \[1\]: entry is 3/);
    await writeFile(join(r, "identifiers.json"), JSON.stringify({ a: 1 }));
    await rejectsWith(readIdentifiers(r), /not a list/);
  });
});

describe("PuzzleDatasetWriter", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "recurse-dsw-"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("streams the same files writePuzzleDataset writes, computing the metadata counts", async () => {
    const data = sample();
    await writePuzzleDataset(join(root, "whole"), "train", data, { inputDtype: "uint8" });

    const w = PuzzleDatasetWriter.open(join(root, "stream"), "train", { seqLen: SEQ, vocabSize: 6, inputDtype: "uint8" });
    const rows = (a: Int32Array, from: number, to: number) => a.subarray(from * SEQ, to * SEQ);
    w.addPuzzle(rows(data.inputs, 0, 2), Array.from(rows(data.labels, 0, 2)), 1);
    w.addPuzzle(rows(data.inputs, 2, 3), rows(data.labels, 2, 3), 2);
    w.endGroup();
    w.addPuzzle(rows(data.inputs, 3, 6), rows(data.labels, 3, 6), 3);
    expect(w.counts).toEqual({ examples: 6, puzzles: 3, groups: 1 });
    w.endGroup();
    const metadata = await w.close({
      padId: 0,
      ignoreLabelId: 0,
      blankIdentifierId: 0,
      numPuzzleIdentifiers: 4,
      recurse: { dataset: "test", note: "unit" },
      identifiers: ["<blank>", "a", "b", "c"],
    });
    expect(metadata).toEqual(data.metadata);
    for (const f of ["dataset.json", "all__inputs.npy", "all__labels.npy", "all__puzzle_identifiers.npy", "all__puzzle_indices.npy", "all__group_indices.npy"]) {
      const a = await readFile(join(root, "whole", "train", f));
      const b = await readFile(join(root, "stream", "train", f));
      expect(b.equals(a), f).toBe(true);
    }
    expect(await readIdentifiers(join(root, "stream"))).toEqual(["<blank>", "a", "b", "c"]);
    const back = await readPuzzleDataset(join(root, "stream"), "train");
    expect(back.inputs).toEqual(data.inputs);
  });

  it("computes mean_puzzle_examples and total_puzzles as the ARC builder, overridable as the Sudoku builder", async () => {
    const w = PuzzleDatasetWriter.open(root, "arc", { seqLen: 2, vocabSize: 3 });
    for (let g = 0; g < 2; g++) {
      w.addPuzzle([1, 2, 2, 1, 0, 0], [1, 1, 2, 2, 0, 0], 1); // 3 examples
      w.addPuzzle([1, 2], [2, 1], 2); // 1 example
      w.endGroup();
    }
    const m = await w.close({ padId: 0, ignoreLabelId: 0, blankIdentifierId: 0, numPuzzleIdentifiers: 3 });
    expect(m).toMatchObject({ totalGroups: 2, totalPuzzles: 4, meanPuzzleExamples: 2 });

    const s = PuzzleDatasetWriter.open(root, "sudoku", { seqLen: 2, vocabSize: 3 });
    s.addPuzzle([1, 2], [2, 1], 0);
    s.addPuzzle([2, 1], [1, 2], 0);
    s.endGroup();
    const ms = await s.close({ padId: 0, ignoreLabelId: 0, blankIdentifierId: 0, numPuzzleIdentifiers: 1, meanPuzzleExamples: 1, totalPuzzles: 1 });
    expect(ms).toMatchObject({ totalGroups: 1, totalPuzzles: 1, meanPuzzleExamples: 1 });
    expect((await readPuzzleDataset(root, "sudoku")).metadata.totalPuzzles).toBe(1);
  });

  it("rejects bad rows, open groups and ids at the point of error, and abort removes the files", async () => {
    const w = PuzzleDatasetWriter.open(root, "bad", { seqLen: 2, vocabSize: 3, inputDtype: "uint8" });
    expect(() => w.addPuzzle([1], [1], 0)).toThrow(/1 input tokens is not a positive whole number of rows/);
    expect(() => w.addPuzzle([], [], 0)).toThrow(DataFormatError);
    expect(() => w.addPuzzle([1, 2], [1], 0)).toThrow(/1 label tokens for 2 input tokens/);
    expect(() => w.addPuzzle([1, 3], [1, 1], 0)).toThrow(/all__inputs\.npy: puzzle 0: input token 3 at position 1/);
    expect(() => w.addPuzzle([1, 1], [1, 1], -1)).toThrow(/identifier -1/);
    expect(() => w.endGroup()).toThrow(/empty group/);
    w.addPuzzle([1, 1], [7, 1], 5);
    expect(() => w.addPuzzle([1, 1], [8, 1], 0)).toThrow(/label token 8 at position 0.*7 seen before/);
    await expect(w.close({ padId: 0, ignoreLabelId: 0, blankIdentifierId: 0, numPuzzleIdentifiers: 9 })).rejects.toThrow(/1 puzzles added after the last endGroup/);
    w.endGroup();
    await expect(w.close({ padId: 0, ignoreLabelId: 0, blankIdentifierId: 0, numPuzzleIdentifiers: 9 })).rejects.toThrow(/label token 7 outside the vocabulary/);
    await expect(w.close({ padId: 0, ignoreLabelId: 7, blankIdentifierId: 0, numPuzzleIdentifiers: 5 })).rejects.toThrow(/identifier 5 used.*below num_puzzle_identifiers 5/);
    w.abort();
    expect(existsSync(join(root, "bad", "all__inputs.npy"))).toBe(false);
    expect(() => w.endGroup()).toThrow(/already closed/);
    expect(() => PuzzleDatasetWriter.open(root, "x", { seqLen: 0, vocabSize: 3 })).toThrow(/seqLen is 0/);
  });
});
