import { cp, mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, DataFormatError, readIdentifiers, readPuzzleDataset } from "@recurse/core";
import { arcPredictionInverter, buildArcDataset, encodeGrid, gridFromRows, parseVersionName } from "@recurse/datasets-arc";
import { FIXTURES, HAS_SHARED_ARC, SHARED_DATA } from "./paths";

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "arc-build-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const inputs = [join(FIXTURES, "arc-agi-1"), join(FIXTURES, "concept-arc/corpus")];

async function npyDescr(file: string): Promise<string> {
  const fh = await open(file, "r");
  const buf = Buffer.alloc(128);
  await fh.read(buf, 0, 128, 0);
  await fh.close();
  return /'descr': '([^']+)'/.exec(buf.toString("latin1"))![1];
}

describe("buildArcDataset", () => {
  it("writes the reference layout with uint8 tokens, metadata, identifiers and test puzzles", async () => {
    const out = join(tmp, "ref");
    const progress: number[] = [];
    const report = await buildArcDataset({ inputs, out, augmentations: 4, seed: 1 }, { onProgress: (done, total) => progress.push(done / total) });
    expect(report.mode).toBe("reference");
    expect(report.numPuzzleIdentifiers).toBe(9 * 5 + 1);
    expect(progress.at(-1)).toBe(1);
    expect(progress.length).toBe(9);

    const train = await readPuzzleDataset(out, "train");
    const test = await readPuzzleDataset(out, "test");
    for (const split of [train, test]) {
      expect(split.metadata).toMatchObject({ seqLen: 900, vocabSize: 12, padId: 0, ignoreLabelId: 0, blankIdentifierId: 0, numPuzzleIdentifiers: 46, sets: ["all"] });
      expect(split.metadata.recurse).toMatchObject({ dataset: "arc", mode: "reference", testSets: ["evaluation"], augmentations: 4, seed: 1 });
    }
    expect(await npyDescr(join(out, "train/all__inputs.npy"))).toBe("|u1");
    expect(await npyDescr(join(out, "test/all__labels.npy"))).toBe("|u1");
    expect(await npyDescr(join(out, "train/all__puzzle_indices.npy"))).toBe("<i4");
    expect(train.metadata.totalGroups).toBe(9);
    expect(test.metadata.totalGroups).toBe(3);
    expect(train.metadata.totalPuzzles).toBe(45);
    expect(report.splits.train).toEqual({ examples: train.inputs.length / 900, puzzles: 45, groups: 9 });
    expect(train.metadata.meanPuzzleExamples).toBeCloseTo(train.inputs.length / 900 / 45, 12);

    const names = await readIdentifiers(out);
    expect(names.length).toBe(46);
    expect(names[0]).toBe("<blank>");
    expect(names.filter((n) => !n.includes("|||")).length).toBe(1 + 9);

    // The evaluator's path with perfect predictions: every test label decodes to the original answer.
    const testPuzzles = JSON.parse(await readFile(join(out, "test_puzzles.json"), "utf8"));
    expect(Object.keys(testPuzzles).sort()).toEqual(["00576224", "66e6c45b", "be03b35f"]);
    for (const id of Object.keys(testPuzzles)) {
      const raw = JSON.parse(await readFile(join(FIXTURES, "arc-agi-1/evaluation", `${id}.json`), "utf8"));
      expect(testPuzzles[id]).toEqual(raw);
    }
    for (let p = 0; p < test.puzzleIdentifiers.length; p++) {
      const name = names[test.puzzleIdentifiers[p]];
      const original = testPuzzles[arcPredictionInverter.originalName(name)];
      for (let e = test.puzzleIndices[p], k = 0; e < test.puzzleIndices[p + 1]; e++, k++) {
        const row = (a: Int32Array) => a.subarray(e * 900, (e + 1) * 900);
        expect(arcPredictionInverter.toOriginalGrid(row(test.labels), name)).toEqual(original.test[k].output);
        expect(arcPredictionInverter.toOriginalGrid(row(test.inputs), name)).toEqual(original.test[k].input);
      }
    }
    // Reference mode: each evaluation version's identifier also names its demonstrations in train.
    const trainIds = new Set(train.puzzleIdentifiers);
    for (const id of test.puzzleIdentifiers) expect(trainIds.has(id)).toBe(true);
    expect(report.bytes).toBeGreaterThan(2 * 900 * (train.inputs.length / 900));
  });

  it("leak-free mode keeps evaluation puzzles out of the train split", async () => {
    const out = join(tmp, "free");
    const report = await buildArcDataset({ inputs, out, augmentations: 2, leakFree: true });
    const train = await readPuzzleDataset(out, "train");
    const test = await readPuzzleDataset(out, "test");
    const names = await readIdentifiers(out);
    const trainPuzzles = new Set(Array.from(train.puzzleIdentifiers, (i) => parseVersionName(names[i]).puzzleId));
    for (const id of ["00576224", "66e6c45b", "be03b35f"]) expect(trainPuzzles.has(id)).toBe(false);
    expect(trainPuzzles.size).toBe(6);
    expect(train.metadata.recurse?.mode).toBe("leak-free");
    expect(test.puzzleIdentifiers.length).toBe(3 * 3);
    expect(report.splits.train.groups).toBe(6);
  });

  it("keeps, drops or refuses training pairs equal to a test answer", async () => {
    const dir = join(tmp, "leaky");
    await cp(join(FIXTURES, "arc-agi-1"), dir, { recursive: true });
    const raw = JSON.parse(await readFile(join(dir, "evaluation/66e6c45b.json"), "utf8"));
    // A training puzzle holding the evaluation answer among other pairs, and one holding nothing else.
    const other = JSON.parse(await readFile(join(dir, "training/6150a2bd.json"), "utf8"));
    await writeFile(join(dir, "training/mixed.json"), JSON.stringify({ train: [...other.train, raw.test[0]], test: other.test }));
    await writeFile(join(dir, "training/only.json"), JSON.stringify({ train: [raw.test[0]], test: [raw.test[0]] }));
    const out = join(tmp, "leaky-out");

    const err = await buildArcDataset({ inputs: [dir], out, augmentations: 1, overlaps: "error" }).catch((e) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    expect(err.message).toMatch(/3 training pair\(s\) equal test answers of 1 test-set puzzle\(s\), e\.g\. 66e6c45b test\[0\] is a pair of mixed/);

    const kept = await buildArcDataset({ inputs: [dir], out, augmentations: 0 });
    expect(kept.overlapPolicy).toBe("keep");
    expect(kept.overlaps.map((o) => o.trainPuzzle)).toEqual(["mixed", "only", "only"]);
    expect(kept.warnings[0]).toContain("kept in training");
    const keptTrain = await readPuzzleDataset(out, "train");

    const dropped = await buildArcDataset({ inputs: [dir], out, augmentations: 0, overlaps: "drop" });
    expect(dropped.warnings[0]).toContain("dropped from training, leaving 1 puzzle(s) without pairs");
    const train = await readPuzzleDataset(out, "train");
    expect(keptTrain.inputs.length / 900 - train.inputs.length / 900).toBe(3);
    expect(dropped.puzzles).toBe(kept.puzzles - 1);
    expect(train.metadata.recurse?.overlaps).toEqual({ policy: "drop", pairs: 3 });
    // No training label equals the leaked answer any more.
    const answer = Buffer.from(encodeGrid(gridFromRows(raw.test[0].output)));
    for (let e = 0; e < train.labels.length / 900; e++) {
      const inp = Buffer.from(Uint8Array.from(train.inputs.subarray(e * 900, (e + 1) * 900)));
      const lab = Buffer.from(Uint8Array.from(train.labels.subarray(e * 900, (e + 1) * 900)));
      const isAnswerPair = lab.equals(answer) && inp.equals(Buffer.from(encodeGrid(gridFromRows(raw.test[0].input))));
      expect(isAnswerPair).toBe(false);
    }
    // The leak-free mode drops them by default.
    expect((await buildArcDataset({ inputs: [dir], out, augmentations: 0, leakFree: true })).overlapPolicy).toBe("drop");
  });

  it("names the subsets when the test set matches none", async () => {
    const err = await buildArcDataset({ inputs, out: join(tmp, "none"), testSet: "evaluation2", augmentations: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain("one of the subsets found: evaluation, training, Center, Copy");
  });
});

describe.skipIf(!HAS_SHARED_ARC)("building the shared ARC-AGI-1 + ConceptARC (skipped without /work/shared)", () => {
  it("has the reference counts without augmentation", async () => {
    const out = join(tmp, "arc1concept");
    const report = await buildArcDataset({ inputs: [join(SHARED_DATA, "arc-agi-1"), join(SHARED_DATA, "concept-arc/corpus")], out, augmentations: 0 });
    // 400 + 400 + 160 originals; train: 1302 + 416 + 1363 + 427 + 480 pairs; test: the 419 evaluation test pairs.
    expect(report.numPuzzleIdentifiers).toBe(961);
    expect(report.splits.train).toEqual({ examples: 1302 + 416 + 1363 + 427 + 480, puzzles: 960, groups: 960 });
    expect(report.splits.test).toEqual({ examples: 419, puzzles: 400, groups: 400 });
    // ARC-AGI-1's own overlap: training 40853293's test pair is evaluation 070dd51e's test pair (checked in Python).
    expect(report.overlaps).toEqual([
      expect.objectContaining({ testPuzzle: "070dd51e", testPair: 0, trainPuzzle: "40853293" }),
    ]);
    expect(report.warnings.length).toBe(1);
  });
});
