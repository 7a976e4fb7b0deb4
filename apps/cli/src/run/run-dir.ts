import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { CliError } from "../errors";

/** The file `recurse train` writes into a run directory, beside `checkpoint/` and `metrics.jsonl`. */
export const RUN_FILE = "recurse-run.json";
export const RUN_SCHEMA = "recurse.run/1";

/**
 * How a run was started: enough to resume it exactly (`recurse train ... --resume` takes every option from here) and
 * to find its dataset again.
 */
export interface RunRecord {
  schema: typeof RUN_SCHEMA;
  createdAt: string;
  architecture: string;
  preset: string;
  /** `--set` overrides as given. */
  overrides: Record<string, unknown>;
  /** The validated config the model was built from. */
  config: Record<string, unknown>;
  /** Absolute path of the dataset directory. */
  data: string;
  /** Dataset kind (sudoku, arc, ...) detected from its metadata, or null. */
  datasetKind: string | null;
  /** Every training option, resolved (defaults filled in); a resume extends `steps` and changes nothing else. */
  training: {
    /** Total optimizer steps (from `--steps`, or `--epochs` converted); absent only in records of older versions. */
    steps?: number;
    /** `--epochs` when the total came from it. */
    epochs?: number;
    batchSize: number;
    seed: number;
    lr: number;
    puzzleLr: number;
    weightDecay: number;
    optimizer: "adam-atan2" | "adamw";
    warmupSteps: number;
    minLrRatio: number;
    /** EMA rate, or null for none. */
    ema: number | null;
    evalEvery: number;
    /** Examples evaluated during training, or null for the whole test split. */
    evalLimit: number | null;
    checkpointEvery: number;
  };
  versions: Record<string, string | null>;
}

/** True when `dir` is a training run (it holds a run record or a checkpoint). */
export function isRunDir(dir: string): boolean {
  return existsSync(join(dir, RUN_FILE)) || existsSync(join(dir, "checkpoint", "manifest.json"));
}

export function readRunRecord(runDir: string): RunRecord | undefined {
  const file = join(runDir, RUN_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const record = JSON.parse(readFileSync(file, "utf8")) as RunRecord;
    if (record.schema !== RUN_SCHEMA) throw new Error(`schema is '${String(record.schema)}'`);
    return record;
  } catch (err) {
    throw new CliError(`${file}: not a run record (${(err as Error).message}; expected schema ${RUN_SCHEMA})`);
  }
}

export async function writeRunRecord(runDir: string, record: RunRecord): Promise<void> {
  await writeFile(join(runDir, RUN_FILE), JSON.stringify(record, null, 2) + "\n");
}

/** A `--model` argument: a run directory (with `checkpoint/`) or a checkpoint directory itself. */
export interface ModelLocation {
  /** The run directory (the checkpoint's parent when given a checkpoint). */
  runDir: string;
  checkpointDir: string;
  /** Short name for tables and trace files: the run directory's base name. */
  name: string;
}

export function locateModel(path: string, cwd: string): ModelLocation {
  const abs = resolve(cwd, path);
  if (!existsSync(abs)) throw new CliError(`--model ${path}: no such directory`);
  if (existsSync(join(abs, "manifest.json"))) {
    const runDir = basename(abs) === "checkpoint" ? dirname(abs) : abs;
    return { runDir, checkpointDir: abs, name: basename(runDir) };
  }
  if (existsSync(join(abs, "checkpoint", "manifest.json"))) return { runDir: abs, checkpointDir: join(abs, "checkpoint"), name: basename(abs) };
  throw new CliError(`--model ${path}: no checkpoint in it (expected ${join(path, "checkpoint", "manifest.json")}; train one with recurse train ... --out ${path})`);
}
