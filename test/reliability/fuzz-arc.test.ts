/**
 * ARC loaders under hostile input: task objects from random JSON and from mutated valid tasks (checked against an
 * independent statement of the task rules), task files of random or mutated bytes, Kaggle combined challenges with
 * mutated solutions, and input paths that do not exist or are not what they claim. Every case loads exactly the
 * grids given or throws a DataFormatError naming the file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataFormatError } from "@recurse/core";
import { loadArcInputs, loadCombined, loadTaskDirectory, loadTaskFile, parseTask, type ArcTask } from "@recurse/datasets-arc";
import { Ledger } from "./support/ledger";
import { applyByteEdits, applyJsonEdits, byteEdits, jsonEdits, seedOf } from "./support/mutate";

const ledger = new Ledger("ARC");
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recurse-fuzz-arc-"));
});
afterAll(async () => {
  ledger.print();
  await rm(dir, { recursive: true, force: true });
});

const gridArb = fc
  .record({ h: fc.integer({ min: 1, max: 4 }), w: fc.integer({ min: 1, max: 4 }), seed: fc.nat() })
  .map(({ h, w, seed }) => Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, c) => (seed + 3 * r + 7 * c) % 10)));
const pairArb = fc.record({ input: gridArb, output: gridArb });
const taskArb = fc.record({
  train: fc.array(pairArb, { minLength: 1, maxLength: 3 }),
  test: fc.array(fc.oneof(pairArb, fc.record({ input: gridArb })), { minLength: 1, maxLength: 2 }),
});

/** The task rules, stated independently of the loader: a grid is 1..30 rows of 1..30 integer colours 0..9. */
function isGrid(v: unknown): v is number[][] {
  if (!Array.isArray(v) || v.length < 1 || v.length > 30 || !Array.isArray(v[0])) return false;
  const w = v[0].length;
  if (w < 1 || w > 30) return false;
  return v.every((row) => Array.isArray(row) && row.length === w && row.every((c) => typeof c === "number" && Number.isInteger(c) && c >= 0 && c <= 9));
}
function isTask(v: unknown): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const t = v as Record<string, unknown>;
  const pairs = (list: unknown, outputOptional: boolean) =>
    Array.isArray(list) &&
    list.length > 0 &&
    list.every((p) => {
      if (typeof p !== "object" || p === null || Array.isArray(p)) return false;
      const q = p as Record<string, unknown>;
      return isGrid(q.input) && (isGrid(q.output) || (outputOptional && q.output === undefined));
    });
  return pairs(t.train, false) && pairs(t.test, true);
}

function rowsOf(g: { height: number; width: number; cells: Uint8Array }): number[][] {
  return Array.from({ length: g.height }, (_, r) => Array.from(g.cells.subarray(r * g.width, (r + 1) * g.width)));
}

/** A loaded task holds exactly the grids of its JSON (unknown test outputs as [[0]]). */
function expectSameTask(task: ArcTask, json: { train: { input: unknown; output: unknown }[]; test: { input: unknown; output?: unknown }[] }): void {
  expect(task.train.map((p) => [rowsOf(p.input), rowsOf(p.output)])).toEqual(json.train.map((p) => [p.input, p.output]));
  expect(task.test.map((p) => [rowsOf(p.input), rowsOf(p.output)])).toEqual(json.test.map((p) => [p.input, p.output ?? [[0]]]));
  expect(task.testOutputsKnown).toBe(json.test.every((p) => p.output !== undefined));
}

describe("parseTask", () => {
  const at = { id: "0a1b2c3d", file: "data/training/0a1b2c3d.json", subset: "training" };

  it("random JSON values are refused with a DataFormatError naming the file", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const task = ledger.run("parseTask: random JSON", { names: at.file, mustReject: !isTask(value) }, () => parseTask(value, at));
        if (task) expectSameTask(task, value as never);
      }),
      { seed: seedOf("arc random"), numRuns: 3000 },
    );
  });

  it("mutated valid tasks are accepted exactly when they still follow the task rules, with exactly their grids", () => {
    fc.assert(
      fc.property(taskArb, jsonEdits(3), (valid, edits) => {
        const mutated = applyJsonEdits(valid, edits);
        const ok = isTask(mutated);
        const task = ledger.run("parseTask: mutated valid task", { names: at.file, fault: JSON.stringify(mutated) !== JSON.stringify(valid), mustReject: !ok }, () => parseTask(mutated, at));
        if (ok) {
          expect(task, JSON.stringify(mutated)).toBeDefined();
          expectSameTask(task!, mutated as never);
        }
      }),
      { seed: seedOf("arc mutated"), numRuns: 4000 },
    );
    expect(ledger.counts("parseTask: mutated valid task").accepted).toBeGreaterThan(300);
  });

  it("grids at and beyond the size and colour bounds", () => {
    const cases: [unknown, boolean][] = [
      [Array.from({ length: 30 }, () => new Array(30).fill(9)), true],
      [Array.from({ length: 31 }, () => [1]), false],
      [[new Array(31).fill(1)], false],
      [[[10]], false],
      [[[-1]], false],
      [[[1.5]], false],
      [[["1"]], false],
      [[[]], false],
      [[], false],
      [[[1, 2], [3]], false],
      [[new Array(1_000_000).fill(1)], false],
      [Array.from({ length: 100_000 }, () => [1]), false],
    ];
    for (const [grid, ok] of cases) {
      const value = { train: [{ input: grid, output: [[1]] }], test: [{ input: [[1]] }] };
      ledger.run("parseTask: grid bounds", { names: at.file, fault: !ok, mustReject: !ok }, () => parseTask(value, at));
    }
  });
});

describe("task files", () => {
  it("task files of mutated bytes load the same grids as their text says, or fail naming the file", async () => {
    let i = 0;
    await fc.assert(
      fc.asyncProperty(taskArb, byteEdits(3), async (valid, edits) => {
        const file = join(dir, "training", `t${i++ % 8}.json`);
        await mkdir(join(dir, "training"), { recursive: true });
        const bytes = applyByteEdits(new TextEncoder().encode(JSON.stringify(valid)), edits);
        await writeFile(file, bytes);
        let parsed: unknown;
        try {
          parsed = JSON.parse(new TextDecoder().decode(bytes));
        } catch {
          parsed = undefined;
        }
        const ok = parsed !== undefined && isTask(parsed);
        const task = await ledger.runAsync("loadTaskFile: mutated bytes", { names: file, fault: true, mustReject: !ok, errorClass: DataFormatError }, () => loadTaskFile(file));
        if (ok) expectSameTask(task!, parsed as never);
      }),
      { seed: seedOf("arc files"), numRuns: 300 },
    );
  });

  it("Kaggle combined files with mutated challenges or solutions load consistently or fail naming the file", async () => {
    let i = 0;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 8, maxLength: 8 }), taskArb, { minKeys: 1, maxKeys: 3 }), jsonEdits(2), fc.boolean(), async (tasks, edits, editSolutions) => {
        const base = join(dir, `kaggle${i++ % 4}`);
        await mkdir(base, { recursive: true });
        const challengesFile = join(base, "arc-agi_evaluation_challenges.json");
        const solutionsFile = join(base, "arc-agi_evaluation_solutions.json");
        let challenges: unknown = Object.fromEntries(Object.entries(tasks).map(([id, t]) => [id, { train: t.train, test: t.test.map((p) => ({ input: p.input })) }]));
        let solutions: unknown = Object.fromEntries(Object.entries(tasks).map(([id, t]) => [id, t.test.map((p) => ("output" in p ? p.output : [[1]]))]));
        if (editSolutions) solutions = applyJsonEdits(solutions, edits);
        else challenges = applyJsonEdits(challenges, edits);
        await writeFile(challengesFile, JSON.stringify(challenges));
        await writeFile(solutionsFile, JSON.stringify(solutions));
        const loaded = await ledger.runAsync("loadCombined: mutated challenges/solutions", { names: [challengesFile, solutionsFile], fault: true, errorClass: DataFormatError }, () => loadCombined(challengesFile));
        if (!loaded) return;
        const sol = solutions as Record<string, unknown[]>;
        const ch = challenges as Record<string, { train: unknown; test: { input: unknown }[] }>;
        expect(loaded.map((t) => t.id)).toEqual(Object.keys(ch).sort());
        for (const t of loaded) {
          expect(t.testOutputsKnown).toBe(true);
          expect(t.test.map((p) => rowsOf(p.output))).toEqual(ch[t.id].test.map((_, k) => sol[t.id][k]));
        }
      }),
      { seed: seedOf("arc kaggle"), numRuns: 300 },
    );
  });

  it("paths that are missing, empty, not JSON or not tasks fail naming the path", async () => {
    const empty = join(dir, "empty-dir");
    await mkdir(empty, { recursive: true });
    const notJson = join(dir, "not-json.json");
    await writeFile(notJson, "\u0000\u0001garbage");
    const orphan = join(dir, "x_solutions.json");
    await writeFile(orphan, "{}");
    const dirNamedJson = join(dir, "looks-like.json");
    await mkdir(join(dirNamedJson, "sub"), { recursive: true });
    const missing = join(dir, "no-such-dir");
    const cases: [string, () => Promise<unknown>, string][] = [
      ["loadArcInputs: missing path", () => loadArcInputs([missing]), missing],
      ["loadArcInputs: empty directory", () => loadArcInputs([empty]), empty],
      ["loadArcInputs: not JSON", () => loadArcInputs([notJson]), notJson],
      ["loadArcInputs: solutions without challenges", () => loadArcInputs([orphan]), orphan],
      ["loadTaskFile: a directory named .json", () => loadTaskFile(dirNamedJson), dirNamedJson],
      ["loadTaskDirectory: missing directory", () => loadTaskDirectory(missing), missing],
      ["loadTaskDirectory: a file, not a directory", () => loadTaskDirectory(notJson), notJson],
      ["loadCombined: missing file", () => loadCombined(join(dir, "none_challenges.json")), join(dir, "none_challenges.json")],
    ];
    for (const [parser, fn, path] of cases) {
      await ledger.runAsync(parser, { names: path, fault: true, mustReject: true, errorClass: DataFormatError }, fn);
    }
  });
});
