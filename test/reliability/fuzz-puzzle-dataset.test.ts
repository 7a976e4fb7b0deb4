/**
 * The reference dataset layout under hostile input: `dataset.json` values from random JSON and from mutated valid
 * metadata, splits whose arrays disagree with each other (in memory and on disk), and whole split directories with
 * a file deleted, truncated, byte-mutated, re-typed or re-shaped. The oracle is an independent statement of the
 * layout's rules: a consistent split is accepted and read back unchanged, an inconsistent one is refused with a
 * DataFormatError naming a file of the split.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DataFormatError,
  metadataFromJson,
  metadataToJson,
  PUZZLE_ARRAYS,
  puzzleDatasetFiles,
  readIdentifiers,
  readPuzzleDataset,
  validatePuzzleDatasetSplit,
  writeNpy,
  writePuzzleDataset,
  type PuzzleDatasetSplit,
} from "@recurse/core";
import { Ledger } from "./support/ledger";
import { applyByteEdits, applyJsonEdits, byteEdits, jsonEdits, sameBytes, seedOf } from "./support/mutate";

const ledger = new Ledger("puzzle dataset");
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recurse-fuzz-ds-"));
});
afterAll(async () => {
  ledger.print();
  await rm(dir, { recursive: true, force: true });
});

/** A consistent split: groups of puzzles of examples, tokens below the vocabulary, labels sometimes ignored. */
const splitArb: fc.Arbitrary<PuzzleDatasetSplit> = fc
  .record({
    groups: fc.array(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
    seqLen: fc.integer({ min: 1, max: 6 }),
    vocab: fc.integer({ min: 2, max: 12 }),
    extraIds: fc.integer({ min: 0, max: 3 }),
    ignore: fc.constantFrom<number | null>(0, null, -100),
    seed: fc.nat(),
  })
  .map(({ groups, seqLen, vocab, extraIds, ignore, seed }) => {
    const puzzleIndices = [0];
    const groupIndices = [0];
    const ids: number[] = [];
    for (const g of groups) {
      for (const examples of g) {
        ids.push(ids.length + 1);
        puzzleIndices.push(puzzleIndices[puzzleIndices.length - 1] + examples);
      }
      groupIndices.push(ids.length);
    }
    const n = puzzleIndices[puzzleIndices.length - 1];
    let s = seed;
    const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
    const inputs = Int32Array.from({ length: n * seqLen }, () => next() % vocab);
    const labels = Int32Array.from({ length: n * seqLen }, () => (ignore !== null && next() % 5 === 0 ? ignore : next() % vocab));
    return {
      metadata: {
        padId: 0,
        ignoreLabelId: ignore,
        blankIdentifierId: 0,
        vocabSize: vocab,
        seqLen,
        numPuzzleIdentifiers: ids.length + 1 + extraIds,
        totalGroups: groups.length,
        meanPuzzleExamples: n / ids.length,
        sets: ["all"],
      },
      inputs,
      labels,
      puzzleIdentifiers: Int32Array.from(ids),
      puzzleIndices: Int32Array.from(puzzleIndices),
      groupIndices: Int32Array.from(groupIndices),
    };
  });

/** The layout's rules, stated independently of the validator under test. */
function consistent(s: PuzzleDatasetSplit): boolean {
  const m = s.metadata;
  const increasing = (a: Int32Array, end: number) => a.length >= 1 && a[0] === 0 && a[a.length - 1] === end && a.every((v, i) => i === 0 || v > a[i - 1]);
  if (!m.sets.includes("all") || s.inputs.length % m.seqLen !== 0 || s.labels.length !== s.inputs.length) return false;
  const examples = s.inputs.length / m.seqLen;
  if (s.puzzleIndices.length !== s.puzzleIdentifiers.length + 1 || !increasing(s.puzzleIndices, examples)) return false;
  if (!increasing(s.groupIndices, s.puzzleIdentifiers.length) || s.groupIndices.length - 1 !== m.totalGroups) return false;
  if (!s.puzzleIdentifiers.every((id) => id >= 0 && id < m.numPuzzleIdentifiers)) return false;
  if (!s.inputs.every((t) => t >= 0 && t < m.vocabSize)) return false;
  return s.labels.every((t) => (t >= 0 && t < m.vocabSize) || t === m.ignoreLabelId);
}

type ArrayKey = "inputs" | "labels" | "puzzleIdentifiers" | "puzzleIndices" | "groupIndices";
const ARRAY_KEYS: ArrayKey[] = ["inputs", "labels", "puzzleIdentifiers", "puzzleIndices", "groupIndices"];
const FILE_OF: Record<ArrayKey, (typeof PUZZLE_ARRAYS)[number]> = {
  inputs: "inputs",
  labels: "labels",
  puzzleIdentifiers: "puzzle_identifiers",
  puzzleIndices: "puzzle_indices",
  groupIndices: "group_indices",
};

/** One edit of one array: drop or append an element, overwrite one, swap two, or empty it. */
const arrayFault = fc.record({
  array: fc.constantFrom(...ARRAY_KEYS),
  op: fc.constantFrom("drop", "append", "set", "swap", "empty"),
  at: fc.nat(),
  other: fc.nat(),
  value: fc.oneof(fc.integer({ min: -3, max: 20 }), fc.constantFrom(-100, -2147483648, 2147483647, 255, 256)),
});
type ArrayFault = typeof arrayFault extends fc.Arbitrary<infer T> ? T : never;

function applyArrayFault(split: PuzzleDatasetSplit, f: ArrayFault): PuzzleDatasetSplit {
  const a = split[f.array];
  let out: Int32Array;
  if (f.op === "drop") out = a.slice(0, Math.max(0, a.length - 1));
  else if (f.op === "append") out = Int32Array.from([...a, f.value]);
  else if (f.op === "empty") out = new Int32Array(0);
  else {
    out = a.slice();
    if (out.length > 0) {
      const i = f.at % out.length;
      if (f.op === "set") out[i] = f.value;
      else {
        const j = f.other % out.length;
        [out[i], out[j]] = [out[j], out[i]];
      }
    }
  }
  return { ...split, [f.array]: out };
}

/** uint8 labels cannot hold a negative ignore id (-100): those are int32 on disk, as the reference stores them. */
const labelDtype = (s: PuzzleDatasetSplit, dtype: "int32" | "uint8") => (s.metadata.ignoreLabelId !== null && s.metadata.ignoreLabelId < 0 ? "int32" : dtype);

const filesOf = (root: string) => puzzleDatasetFiles(root, "train");

describe("dataset.json", () => {
  it("random JSON values are refused with a DataFormatError naming the file", () => {
    const file = "data/x/train/dataset.json";
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
        ledger.run("metadataFromJson: random JSON", { names: file }, () => metadataFromJson(value, file));
      }),
      { seed: seedOf("metadata random"), numRuns: 3000 },
    );
  });

  it("mutated valid metadata is accepted only with every field still valid, and the error names the field", () => {
    const file = "data/x/train/dataset.json";
    fc.assert(
      fc.property(splitArb, jsonEdits(3), (split, edits) => {
        const valid = metadataToJson(split.metadata);
        const mutated = applyJsonEdits(valid, edits);
        const fault = JSON.stringify(mutated) !== JSON.stringify(valid);
        let error: unknown;
        const m = ledger.run("metadataFromJson: mutated", { names: file, fault }, () => {
          try {
            return metadataFromJson(mutated, file);
          } catch (e) {
            error = e;
            throw e;
          }
        });
        if (m) {
          // Accepted: every numeric field keeps its documented type.
          expect(Number.isInteger(m.seqLen) && m.seqLen > 0 && Number.isInteger(m.vocabSize) && m.vocabSize > 0).toBe(true);
          expect(Array.isArray(m.sets) && m.sets.every((x) => typeof x === "string")).toBe(true);
        } else {
          const field = (error as DataFormatError).location.field;
          if (field !== undefined) expect(Object.keys(valid).concat(["recurse"]).some((k) => field.startsWith(k)), field).toBe(true);
        }
      }),
      { seed: seedOf("metadata mutated"), numRuns: 3000 },
    );
  });
});

describe("split consistency", () => {
  it("a split with one edited array is accepted exactly when it is still consistent", () => {
    fc.assert(
      fc.property(splitArb, fc.array(arrayFault, { minLength: 1, maxLength: 2 }), (valid, faults) => {
        const split = faults.reduce(applyArrayFault, valid);
        const ok = consistent(split);
        const changed = ARRAY_KEYS.some((k) => split[k] !== valid[k] && Array.from(split[k]).join() !== Array.from(valid[k]).join());
        const files = filesOf("mem");
        const accepted = ledger.run("validatePuzzleDatasetSplit: edited arrays", { names: "mem/train/", fault: changed, mustReject: !ok }, () =>
          (validatePuzzleDatasetSplit(split, files), true),
        );
        if (ok) expect(accepted === undefined ? "refused" : "accepted").toBe("accepted");
      }),
      { seed: seedOf("split arrays"), numRuns: 5000 },
    );
    const c = ledger.counts("validatePuzzleDatasetSplit: edited arrays");
    expect(c.accepted).toBeGreaterThan(200);
    expect(c.rejected).toBeGreaterThan(2000);
  });
});

describe("split directories on disk", () => {
  type DiskFault =
    | { kind: "arrays"; faults: ArrayFault[] }
    | { kind: "delete"; file: number }
    | { kind: "bytes"; file: number; edits: Parameters<typeof applyByteEdits>[1] }
    | { kind: "float"; file: number }
    | { kind: "ndim"; file: number }
    | { kind: "int64"; file: number; big: boolean }
    | { kind: "metadataText"; text: string }
    | { kind: "metadataEdits"; edits: Parameters<typeof applyJsonEdits>[1] };
  const diskFault: fc.Arbitrary<DiskFault> = fc.oneof(
    fc.record({ kind: fc.constant("arrays" as const), faults: fc.array(arrayFault, { minLength: 1, maxLength: 2 }) }),
    fc.record({ kind: fc.constant("delete" as const), file: fc.integer({ min: 0, max: 5 }) }),
    fc.record({ kind: fc.constant("bytes" as const), file: fc.integer({ min: 0, max: 5 }), edits: byteEdits(3) }),
    fc.record({ kind: fc.constant("float" as const), file: fc.integer({ min: 0, max: 4 }) }),
    fc.record({ kind: fc.constant("ndim" as const), file: fc.integer({ min: 0, max: 4 }) }),
    fc.record({ kind: fc.constant("int64" as const), file: fc.integer({ min: 0, max: 4 }), big: fc.boolean() }),
    fc.record({ kind: fc.constant("metadataText" as const), text: fc.constantFrom("", "{", "null", "[]", '{"seq_len": 3}', "\u0000", "{}".repeat(3)) }),
    fc.record({ kind: fc.constant("metadataEdits" as const), edits: jsonEdits(2) }),
  );

  it("a written split with one injected fault is read back unchanged or refused naming a file of the split", async () => {
    let k = 0;
    await fc.assert(
      fc.asyncProperty(splitArb, diskFault, fc.constantFrom("int32", "uint8") as fc.Arbitrary<"int32" | "uint8">, async (valid, fault, dtype) => {
        const root = join(dir, `case${k++ % 6}`);
        await rm(root, { recursive: true, force: true });
        const files = filesOf(root);
        const paths = [...PUZZLE_ARRAYS.map((n) => files[n]), files.metadata];
        let expected: PuzzleDatasetSplit | undefined = valid;
        if (fault.kind === "arrays") {
          // Written unvalidated, array by array, as another tool could have written it.
          const split = fault.faults.reduce(applyArrayFault, valid);
          await writePuzzleDataset(root, "train", valid, { inputDtype: dtype, labelDtype: labelDtype(valid, dtype) });
          for (const key of ARRAY_KEYS) {
            const a = split[key];
            const rows = key === "inputs" || key === "labels" ? [a.length / valid.metadata.seqLen, valid.metadata.seqLen] : [a.length];
            const shape = Number.isInteger(rows[0]) ? rows : [a.length];
            await writeNpy(files[FILE_OF[key]], { dtype: "int32", shape, data: a });
          }
          const ok = consistent(split) && split.inputs.length % valid.metadata.seqLen === 0;
          expected = ok ? split : undefined;
        } else {
          await writePuzzleDataset(root, "train", valid, { inputDtype: dtype, labelDtype: labelDtype(valid, dtype) });
          const target = "file" in fault ? paths[fault.file] : files.metadata;
          if (fault.kind === "delete") {
            await unlink(target);
            expected = undefined;
          } else if (fault.kind === "bytes") {
            const before = new Uint8Array(await readFile(target));
            const after = applyByteEdits(before, fault.edits);
            await writeFile(target, after);
            if (!sameBytes(before, after)) expected = "maybe" as never;
          } else if (fault.kind === "float") {
            const key = ARRAY_KEYS[fault.file];
            await writeNpy(target, { dtype: "float32", shape: [valid[key].length], data: valid[key] });
            expected = undefined;
          } else if (fault.kind === "ndim") {
            const key = ARRAY_KEYS[fault.file];
            const a = valid[key];
            await writeNpy(target, { dtype: "int32", shape: key === "inputs" || key === "labels" ? [a.length] : [1, a.length], data: a });
            expected = valid.metadata.seqLen === 1 && (key === "inputs" || key === "labels") ? "maybe" as never : undefined;
          } else if (fault.kind === "int64") {
            // An int64 file: values in int32 range narrow silently; one beyond it must be refused.
            const key = ARRAY_KEYS[fault.file];
            const a = valid[key];
            const words = new BigInt64Array(a.length);
            a.forEach((v, i) => (words[i] = BigInt(v)));
            if (fault.big && words.length > 0) words[0] = 1n << 40n;
            const shape = key === "inputs" || key === "labels" ? [a.length / valid.metadata.seqLen, valid.metadata.seqLen] : [a.length];
            const header = `{'descr': '<i8', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
            const hlen = 118;
            const head = new Uint8Array(10 + hlen).fill(0x20);
            head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, hlen, 0], 0);
            head.set(new TextEncoder().encode(header), 10);
            head[10 + hlen - 1] = 0x0a;
            await writeFile(target, new Uint8Array([...head, ...new Uint8Array(words.buffer)]));
            if (fault.big && words.length > 0) expected = undefined;
          } else if (fault.kind === "metadataText") {
            await writeFile(files.metadata, fault.text);
            expected = undefined;
          } else {
            const json = metadataToJson(valid.metadata);
            const mutated = applyJsonEdits(json, fault.edits);
            await writeFile(files.metadata, JSON.stringify(mutated));
            if (JSON.stringify(mutated) !== JSON.stringify(json)) expected = "maybe" as never;
          }
        }
        const read = await ledger.runAsync(
          "readPuzzleDataset: split directory with one fault",
          { names: join(root, "train"), fault: fault.kind !== "arrays" || expected === undefined, mustReject: expected === undefined, errorClass: DataFormatError },
          () => readPuzzleDataset(root, "train"),
        );
        if (!read) return;
        expect(consistent(read), "an accepted split must be consistent").toBe(true);
        if (expected !== undefined && (expected as unknown) !== "maybe") {
          for (const key of ARRAY_KEYS) expect(Array.from(read[key]), key).toEqual(Array.from(expected[key]));
        }
      }),
      { seed: seedOf("split dirs"), numRuns: 200 },
    );
  });

  it("identifiers.json with a deeply nested entry is refused with a DataFormatError, not a stack overflow", async () => {
    const root = join(dir, "ids-deep");
    await import("node:fs/promises").then((fs) => fs.mkdir(root, { recursive: true }));
    const depth = 40_000;
    await writeFile(join(root, "identifiers.json"), `["<blank>", ${"[".repeat(depth)}${"]".repeat(depth)}]`);
    await ledger.runAsync("readIdentifiers: deeply nested entry", { names: [join(root, "identifiers.json")], fault: true, mustReject: true, errorClass: DataFormatError }, () => readIdentifiers(root));
  });

  it("identifiers.json: anything but a list of strings is refused, naming the file", async () => {
    const root = join(dir, "ids");
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 2 }), async (value) => {
        await rm(root, { recursive: true, force: true });
        await import("node:fs/promises").then((fs) => fs.mkdir(root, { recursive: true }));
        await writeFile(join(root, "identifiers.json"), JSON.stringify(value));
        const ok = Array.isArray(value) && value.every((v) => typeof v === "string");
        const got = await ledger.runAsync("readIdentifiers: random JSON", { names: join(root, "identifiers.json"), fault: !ok, mustReject: !ok }, () => readIdentifiers(root));
        if (ok) expect(got).toEqual(value);
      }),
      { seed: seedOf("identifiers"), numRuns: 300 },
    );
  });
});
