import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { DataFormatError } from "@recurse/core";
import { gridFromRows } from "./grid";
import type { ArcPair, ArcTask, ArcTaskSource } from "./task";
import { validateGrid } from "./validate";

const CHALLENGES_SUFFIX = "_challenges.json";
const SOLUTIONS_SUFFIX = "_solutions.json";

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new DataFormatError(`cannot be read: ${(cause as Error).message}`, { file }, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new DataFormatError(`is not valid JSON: ${(cause as Error).message}`, { file, expected: "an ARC task JSON file" }, { cause });
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Validates one task object (`{"train": [{input, output}, ...], "test": [{input, output?}, ...]}`). Test outputs
 * may be supplied separately (`testOutputs`, from a solutions file); when neither exists they become `[[0]]`, as in
 * the reference builder, and `testOutputsKnown` is false.
 *
 * @example
 * ```ts
 * const task = parseTask(JSON.parse(text), { id: "007bbfb7", file: "007bbfb7.json", subset: "training" });
 * ```
 */
export function parseTask(value: unknown, at: { id: string } & ArcTaskSource, testOutputs?: unknown[]): ArcTask {
  const { file, id } = at;
  if (!isObject(value)) {
    throw new DataFormatError("is not an object", { file, field: `puzzle ${id}`, expected: '{"train": [...], "test": [...]}' });
  }
  let allOutputsKnown = true;
  const pairsOf = (split: "train" | "test"): ArcPair[] => {
    const list = value[split];
    if (!Array.isArray(list) || list.length === 0) {
      throw new DataFormatError(`has no ${split} pairs`, { file, field: `puzzle ${id}.${split}`, expected: "a non-empty list of {input, output} pairs" });
    }
    return list.map((pair, index) => {
      if (!isObject(pair)) {
        throw new DataFormatError("is not an object", { file, field: `puzzle ${id} ${split}[${index}]`, expected: "{input, output}" });
      }
      const input = validateGrid(pair.input, { file, puzzle: id, split, pair: index, side: "input" });
      let rawOutput = pair.output;
      if (split === "test" && testOutputs !== undefined) {
        if (index >= testOutputs.length) {
          throw new DataFormatError(`has no solution for test pair ${index}`, { file, field: `puzzle ${id}`, expected: `${list.length} solution grids` });
        }
        rawOutput = testOutputs[index];
      }
      if (rawOutput === undefined && split === "test") {
        allOutputsKnown = false;
        return { input, output: gridFromRows([[0]]) };
      }
      const output = validateGrid(rawOutput, { file, puzzle: id, split, pair: index, side: "output" });
      return { input, output };
    });
  };
  const train = pairsOf("train");
  const test = pairsOf("test");
  return { id, train, test, source: { file, subset: at.subset }, testOutputsKnown: allOutputsKnown };
}

/**
 * Loads one task file (`<id>.json`); the subset defaults to the name of the folder holding it.
 *
 * @example
 * ```ts
 * const task = await loadTaskFile("data/arc-agi-1/training/007bbfb7.json"); // subset "training"
 * ```
 */
export async function loadTaskFile(file: string, subset = basename(dirname(file))): Promise<ArcTask> {
  const id = basename(file, ".json");
  return parseTask(await readJson(file), { id, file, subset });
}

/**
 * Loads every `*.json` task below a directory, recursively (ConceptARC's `corpus/<concept>/*.json` included), in
 * sorted path order. A task's id is its file name without `.json`; its subset is the first folder below `dir` (or
 * `dir`'s own name for files directly inside it), so `arc-agi-1/` yields subsets `training` and `evaluation`.
 *
 * @example
 * ```ts
 * const tasks = await loadTaskDirectory("/data/arc-agi-1"); // 800 tasks
 * ```
 */
export async function loadTaskDirectory(dir: string): Promise<ArcTask[]> {
  let entries: string[];
  try {
    entries = (await readdir(dir, { recursive: true })) as string[];
  } catch (cause) {
    throw new DataFormatError(`cannot be read as a directory: ${(cause as Error).message}`, { file: dir, expected: "a directory of ARC task files" }, { cause });
  }
  const files = entries.filter((p) => p.endsWith(".json") && !p.split(sep).some((part) => part.startsWith("."))).sort();
  const tasks: ArcTask[] = [];
  for (const rel of files) {
    const parts = rel.split(sep);
    const subset = parts.length > 1 ? parts[0] : basename(dir);
    tasks.push(await loadTaskFile(join(dir, rel), subset));
  }
  if (tasks.length === 0) {
    throw new DataFormatError("holds no .json task files", { file: dir, expected: "a directory of ARC task files (searched recursively)" });
  }
  return tasks;
}

/** The subset named by a Kaggle-style file name, `arc-agi_{subset}_challenges.json` → `subset`. */
export function subsetOfCombinedFile(file: string): string {
  const name = basename(file);
  const stem = name.endsWith(CHALLENGES_SUFFIX) ? name.slice(0, -CHALLENGES_SUFFIX.length) : basename(name, ".json");
  const at = stem.lastIndexOf("_");
  return at >= 0 ? stem.slice(at + 1) : stem;
}

/** The solutions file that goes with a challenges file (`…_challenges.json` → `…_solutions.json`), if named so. */
export function solutionsFileFor(challengesFile: string): string | undefined {
  return challengesFile.endsWith(CHALLENGES_SUFFIX) ? challengesFile.slice(0, -CHALLENGES_SUFFIX.length) + SOLUTIONS_SUFFIX : undefined;
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Loads a Kaggle-style combined challenges file, `{id: {train: [...], test: [{input}, ...]}}`, with its solutions
 * `{id: [output, ...]}` merged into the test pairs. The solutions file defaults to the sibling
 * `…_solutions.json`; without one, test outputs become `[[0]]` (as the reference) and `testOutputsKnown` is false.
 *
 * @example
 * ```ts
 * const tasks = await loadCombined("kaggle/arc-agi_evaluation_challenges.json"); // subset "evaluation"
 * ```
 */
export async function loadCombined(challengesFile: string, solutionsFile?: string): Promise<ArcTask[]> {
  return combinedTasks(await readJson(challengesFile), challengesFile, solutionsFile);
}

async function combinedTasks(challenges: unknown, challengesFile: string, solutionsFile?: string): Promise<ArcTask[]> {
  if (!isObject(challenges)) {
    throw new DataFormatError("is not an object", { file: challengesFile, expected: '{"<puzzle id>": {"train": [...], "test": [...]}}' });
  }
  const solFile = solutionsFile ?? solutionsFileFor(challengesFile);
  let solutions: Record<string, unknown> | undefined;
  if (solFile !== undefined && (solutionsFile !== undefined || (await exists(solFile)))) {
    const sols = await readJson(solFile);
    if (!isObject(sols)) throw new DataFormatError("is not an object", { file: solFile, expected: '{"<puzzle id>": [grid, ...]}' });
    solutions = sols;
  }
  const subset = subsetOfCombinedFile(challengesFile);
  return Object.keys(challenges)
    .sort()
    .map((id) => {
      let outputs: unknown[] | undefined;
      if (solutions !== undefined) {
        const s = solutions[id];
        if (!Array.isArray(s)) {
          throw new DataFormatError(`has no solutions for puzzle ${id}`, { file: solFile, field: id, expected: "a list of output grids" });
        }
        outputs = s;
      }
      return parseTask(challenges[id], { id, file: challengesFile, subset }, outputs);
    });
}

/**
 * Loads every input the builder accepts: task directories (recursive), single task files, and Kaggle-style
 * challenges files (their `…_solutions.json` sibling is picked up; a solutions file given on its own is skipped
 * when its challenges file is also given). Puzzle ids must be unique across all inputs.
 *
 * @example
 * ```ts
 * const tasks = await loadArcInputs(["/data/arc-agi-1", "/data/concept-arc/corpus"]); // 960 tasks
 * ```
 */
export async function loadArcInputs(paths: string[]): Promise<ArcTask[]> {
  const tasks: ArcTask[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (cause) {
      throw new DataFormatError("does not exist", { file: path, expected: "an ARC task directory, task file or challenges file" }, { cause });
    }
    if (info.isDirectory()) {
      tasks.push(...(await loadTaskDirectory(path)));
    } else if (path.endsWith(SOLUTIONS_SUFFIX)) {
      const challenges = path.slice(0, -SOLUTIONS_SUFFIX.length) + CHALLENGES_SUFFIX;
      if (!paths.includes(challenges)) {
        throw new DataFormatError("is a solutions file without its challenges file", { file: path, expected: `also ${basename(challenges)}` });
      }
    } else {
      const value = await readJson(path);
      if (isObject(value) && "train" in value) tasks.push(parseTask(value, { id: basename(path, ".json"), file: path, subset: basename(dirname(path)) }));
      else tasks.push(...(await combinedTasks(value, path)));
    }
  }
  const byId = new Map<string, ArcTask>();
  for (const t of tasks) {
    const other = byId.get(t.id);
    if (other) {
      throw new DataFormatError(`puzzle id ${t.id} appears twice (also in ${other.source.file})`, {
        file: t.source.file,
        field: `puzzle ${t.id}`,
        expected: "unique puzzle ids across inputs; ARC-AGI-2 reuses many ARC-AGI-1 ids, so do not combine those sets",
      });
    }
    byId.set(t.id, t);
  }
  return tasks;
}
