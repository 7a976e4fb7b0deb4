/**
 * Rebuilding a dataset over an existing one never loses or mixes it: a rebuild that fails half-way (a hook throws)
 * leaves the previous dataset exactly as it was, and a build process SIGKILLed at random moments leaves either the
 * previous dataset or the new one, whole and self-consistent (both splits and identifiers.json from one build).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readIdentifiers, readPuzzleDataset } from "@recurse/core";
import { buildArcDataset } from "@recurse/datasets-arc";
import { buildSudokuDataset } from "@recurse/datasets-sudoku";
import { coreIsBuilt, REPO, seeded, sleep, startChild } from "./support/child";

const ARC_INPUTS = [join(REPO, "packages/datasets-arc/fixtures/arc-agi-1")];
const BUILDER = fileURLToPath(new URL("./children/build-arc.mjs", import.meta.url));
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "recurse-build-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every file of a dataset directory that a reader uses, as one fingerprint. */
async function fingerprint(out: string): Promise<string> {
  const parts: string[] = [];
  for (const split of ["train", "test"]) {
    const d = await readPuzzleDataset(out, split);
    parts.push(JSON.stringify(d.metadata), Buffer.from(d.inputs.buffer).toString("base64"), Buffer.from(d.puzzleIdentifiers.buffer).toString("base64"));
  }
  parts.push(JSON.stringify(await readIdentifiers(out)));
  if (existsSync(join(out, "test_puzzles.json"))) parts.push(await readFile(join(out, "test_puzzles.json"), "utf8"));
  return parts.join("|");
}

/** Both splits and identifiers.json come from one build: same seed recorded, identifiers cover every puzzle id. */
async function consistent(out: string): Promise<number> {
  const ids = await readIdentifiers(out);
  const seeds = new Set<unknown>();
  for (const split of ["train", "test"]) {
    const d = await readPuzzleDataset(out, split);
    expect(d.metadata.numPuzzleIdentifiers).toBe(ids.length);
    seeds.add((d.metadata.recurse as { seed?: unknown } | undefined)?.seed);
  }
  expect(seeds.size).toBe(1);
  return [...seeds][0] as number;
}

describe("dataset rebuilds", () => {
  it("an ARC rebuild that fails half-way leaves the previous dataset exactly as it was", async () => {
    const out = join(root, "arc", "data");
    await buildArcDataset({ inputs: ARC_INPUTS, out, augmentations: 2, seed: 1 });
    const before = await fingerprint(out);
    const failing = buildArcDataset({ inputs: ARC_INPUTS, out, augmentations: 2, seed: 2 }, { onProgress: (done) => { if (done === 3) throw new Error("interrupted by the test"); } });
    await expect(failing).rejects.toThrow(/interrupted by the test/);
    expect(await fingerprint(out)).toBe(before);
    expect(await consistent(out)).toBe(1);
  });

  it("a Sudoku rebuild that fails half-way leaves the previous dataset exactly as it was", async () => {
    const out = join(root, "sudoku", "data");
    const input = { generate: { count: 30, size: 4, testCount: 5 }, out, seed: 1, augmentations: 1 };
    await buildSudokuDataset(input);
    const before = await fingerprint(out);
    let calls = 0;
    const failing = buildSudokuDataset({ ...input, seed: 2 }, { onProgress: () => { if (++calls === 2) throw new Error("interrupted by the test"); } });
    await expect(failing).rejects.toThrow(/interrupted by the test/);
    expect(calls).toBe(2);
    expect(await fingerprint(out)).toBe(before);
  });

  it.skipIf(!coreIsBuilt() || !existsSync(join(REPO, "packages/datasets-arc/dist/index.js")))("an ARC build SIGKILLed at random moments leaves the previous or the new dataset, whole", async () => {
    const out = join(root, "arc-kill", "data");
    await buildArcDataset({ inputs: ARC_INPUTS, out, augmentations: 2, seed: 100 });
    const random = seeded(99);
    const outcomes: string[] = [];
    for (let k = 0; k < 3; k++) {
      const child = startChild(BUILDER, [out, String(101 + k), "1000"]);
      await child.waitFor(/^building$/);
      await sleep(Math.floor(random() * 1000));
      const { signal } = await child.kill();
      const seed = await consistent(out);
      outcomes.push(`kill ${k} (${signal === "SIGKILL" ? "killed" : "had finished"}): dataset of seed ${seed}`);
    }
    console.log(`ARC build kills: ${outcomes.join("; ")}; each time both splits and identifiers.json came from one build`);
  });
});
