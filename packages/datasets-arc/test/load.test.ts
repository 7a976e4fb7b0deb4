import { mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataFormatError } from "@recurse/core";
import { findOverlaps, gridToRows, gridsEqual, loadArcInputs, loadCombined, loadTaskDirectory, loadTaskFile, subsetOfCombinedFile } from "@recurse/datasets-arc";
import { FIXTURES, HAS_SHARED_ARC, SHARED_DATA } from "./paths";

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "arc-load-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("loading task files", () => {
  it("loads a directory of tasks with subsets from the first folder", async () => {
    const tasks = await loadTaskDirectory(join(FIXTURES, "arc-agi-1"));
    expect(tasks.map((t) => `${t.source.subset}/${t.id}`)).toEqual([
      "evaluation/00576224",
      "evaluation/66e6c45b",
      "evaluation/be03b35f",
      "training/3c9b0459",
      "training/6150a2bd",
      "training/d631b094",
      "training/e9afcf9a",
    ]);
    const raw = JSON.parse(await readFile(join(FIXTURES, "arc-agi-1/training/6150a2bd.json"), "utf8"));
    const t = tasks.find((x) => x.id === "6150a2bd")!;
    expect(t.train.length).toBe(raw.train.length);
    expect(gridToRows(t.test[0].output)).toEqual(raw.test[0].output);
    expect(t.testOutputsKnown).toBe(true);
  });

  it("searches ConceptARC's corpus/<concept>/*.json recursively", async () => {
    const tasks = await loadTaskDirectory(join(FIXTURES, "concept-arc/corpus"));
    expect(tasks.map((t) => [t.id, t.source.subset])).toEqual([
      ["Center2", "Center"],
      ["Copy1", "Copy"],
    ]);
    const direct = await loadTaskDirectory(join(FIXTURES, "arc-agi-1/evaluation"));
    expect(new Set(direct.map((t) => t.source.subset))).toEqual(new Set(["evaluation"]));
  });

  it("loads the Kaggle layout with solutions merged, equal to the task files", async () => {
    const combined = await loadCombined(join(FIXTURES, "kaggle/arc-agi_evaluation_challenges.json"));
    const files = await loadTaskDirectory(join(FIXTURES, "arc-agi-1/evaluation"));
    expect(combined.map((t) => t.id)).toEqual(files.map((t) => t.id));
    for (const [i, t] of combined.entries()) {
      expect(t.source.subset).toBe("evaluation");
      expect(t.testOutputsKnown).toBe(true);
      const f = files[i];
      for (const k of ["train", "test"] as const) {
        expect(t[k].length).toBe(f[k].length);
        t[k].forEach((p, j) => {
          expect(gridsEqual(p.input, f[k][j].input)).toBe(true);
          expect(gridsEqual(p.output, f[k][j].output)).toBe(true);
        });
      }
    }
    expect(subsetOfCombinedFile("x/arc-agi_training2_challenges.json")).toBe("training2");
  });

  it("fills [[0]] outputs without a solutions file, as the reference", async () => {
    const src = await readFile(join(FIXTURES, "kaggle/arc-agi_evaluation_challenges.json"), "utf8");
    const file = join(tmp, "arc-agi_hidden_challenges.json");
    await writeFile(file, src);
    const tasks = await loadArcInputs([file]);
    expect(tasks.length).toBe(3);
    expect(tasks.every((t) => !t.testOutputsKnown && t.source.subset === "hidden")).toBe(true);
    expect(gridToRows(tasks[0].test[0].output)).toEqual([[0]]);
  });

  it("names the file, puzzle, pair and cell of a bad grid", async () => {
    const raw = JSON.parse(await readFile(join(FIXTURES, "arc-agi-1/training/6150a2bd.json"), "utf8"));
    raw.train[1].output[2][1] = 12;
    const file = join(tmp, "bad.json");
    await writeFile(file, JSON.stringify(raw));
    const err = await loadTaskFile(file).catch((e) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    expect(err.message).toContain(`${file}: puzzle bad train[1].output row 2 column 1: is 12`);

    await writeFile(file, "{not json");
    expect((await loadTaskFile(file).catch((e) => e)).message).toContain("is not valid JSON");
    await writeFile(file, JSON.stringify({ train: [], test: raw.test }));
    expect((await loadTaskFile(file).catch((e) => e)).message).toContain("has no train pairs");

    const sols = join(tmp, "arc-agi_x_solutions.json");
    await writeFile(join(tmp, "arc-agi_x_challenges.json"), JSON.stringify({ p: { train: raw.train, test: [{ input: raw.test[0].input }] } }));
    await writeFile(sols, JSON.stringify({ q: [] }));
    expect((await loadCombined(join(tmp, "arc-agi_x_challenges.json")).catch((e) => e)).message).toContain("has no solutions for puzzle p");
    await expect(loadArcInputs([sols])).rejects.toThrow(/solutions file without its challenges file/);
    await expect(loadArcInputs([join(tmp, "missing")])).rejects.toThrow(/does not exist/);
  });

  it("rejects the same puzzle id twice across inputs", async () => {
    const dir = join(tmp, "dup");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "6150a2bd.json"), await readFile(join(FIXTURES, "arc-agi-1/training/6150a2bd.json")));
    await expect(loadArcInputs([join(FIXTURES, "arc-agi-1"), dir])).rejects.toThrow(/puzzle id 6150a2bd appears twice/);
  });

  it("finds test pairs of test-set puzzles among training pairs, in any pair order", async () => {
    const tasks = await loadTaskDirectory(join(FIXTURES, "arc-agi-1"));
    const evalTask = tasks.find((t) => t.id === "00576224")!;
    // A training copy with the pairs reordered, as ARC-AGI-2 training holds ARC-AGI-1 evaluation puzzles.
    const copy = { ...evalTask, id: "copy", train: [evalTask.test[0], ...evalTask.train], test: [evalTask.train[0]], source: { file: "copy.json", subset: "training" } };
    const overlaps = findOverlaps([...tasks, copy], (t) => t.source.subset === "evaluation");
    expect(overlaps).toEqual([{ testPuzzle: "00576224", testFile: evalTask.source.file, testPair: 0, trainPuzzle: "copy", trainFile: "copy.json" }]);
    expect(findOverlaps(tasks, (t) => t.source.subset === "evaluation")).toEqual([]);
  });
});

describe.skipIf(!HAS_SHARED_ARC)("the shared ARC data (skipped without /work/shared)", () => {
  it("loads ARC-AGI-1 and ConceptARC with the counts of their READMEs", async () => {
    const arc1 = await loadTaskDirectory(join(SHARED_DATA, "arc-agi-1"));
    const count = (subset: string) => {
      const ts = arc1.filter((t) => t.source.subset === subset);
      return [ts.length, ts.reduce((s, t) => s + t.train.length, 0), ts.reduce((s, t) => s + t.test.length, 0)];
    };
    expect(count("training")).toEqual([400, 1302, 416]);
    expect(count("evaluation")).toEqual([400, 1363, 419]);
    const concept = await loadTaskDirectory(join(SHARED_DATA, "concept-arc/corpus"));
    expect([concept.length, concept.reduce((s, t) => s + t.train.length, 0), concept.reduce((s, t) => s + t.test.length, 0)]).toEqual([160, 427, 480]);
    expect(new Set(concept.map((t) => t.source.subset)).size).toBe(16);
  });

  it("refuses ARC-AGI-1 + ARC-AGI-2 (shared ids), and sees the answers ARC-AGI-2 training would leak", async () => {
    await expect(loadArcInputs([join(SHARED_DATA, "arc-agi-1"), join(SHARED_DATA, "arc-agi-2/training")])).rejects.toThrow(/appears twice/);
    const arc1eval = await loadTaskDirectory(join(SHARED_DATA, "arc-agi-1/evaluation"));
    const arc2train = await loadTaskDirectory(join(SHARED_DATA, "arc-agi-2/training"));
    const ids = new Set(arc1eval.map((t) => t.id));
    // Rename the shared ids so only the content check can find them.
    const renamed = arc2train.map((t) => ({ ...t, id: ids.has(t.id) ? `${t.id}-v2` : t.id }));
    const overlaps = findOverlaps([...arc1eval, ...renamed], (t) => t.source.subset === "evaluation");
    const leaked = new Set(overlaps.map((o) => o.testPuzzle));
    // The README: 376 of ARC-AGI-2 training's ids are ARC-AGI-1 evaluation puzzles with the same pairs, reordered
    // (376 is also what a plain Python comparison of the JSON pairs finds).
    expect(leaked.size).toBe(376);
    expect(overlaps.every((o) => o.trainPuzzle === `${o.testPuzzle}-v2`)).toBe(true);
  });
});
