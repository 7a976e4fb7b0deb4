import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { readPuzzleDataset, readPuzzleDatasetMetadata, type DatasetSpec, type PuzzleDatasetMetadata, type PuzzleDatasetSplit, type Registry } from "@recurse/core";
import { readFile } from "node:fs/promises";
import { CliError } from "../errors";

/** The dataset kind that built a dataset: its `recurse.dataset` tag when registered, else the first whose detect() says yes. */
export function detectDatasetKind(registry: Registry, metadata: PuzzleDatasetMetadata): DatasetSpec<any> | undefined {
  const tagged = metadata.recurse?.dataset;
  if (tagged && registry.datasets.has(tagged)) return registry.datasets.get(tagged);
  return registry.datasets.list().find((d) => {
    try {
      return d.detect(metadata);
    } catch {
      return false;
    }
  });
}

/** Resolve a `--data` directory and check it holds the split (reference layout: `<dir>/<split>/dataset.json`). */
export function datasetDir(path: string, cwd: string, split: string): string {
  const dir = resolve(cwd, path);
  if (!existsSync(dir)) throw new CliError(`--data ${path}: no such directory`);
  if (!existsSync(join(dir, split, "dataset.json"))) {
    const other = ["train", "test"].filter((s) => s !== split && existsSync(join(dir, s, "dataset.json")));
    throw new CliError(
      `--data ${path}: no ${split}/dataset.json` + (other.length ? ` (it has ${other.join(", ")})` : " (build one with recurse data build)"),
    );
  }
  return dir;
}

export function hasSplit(dir: string, split: string): boolean {
  return existsSync(join(dir, split, "dataset.json"));
}

export async function readSplit(dir: string, split: string): Promise<PuzzleDatasetSplit> {
  return readPuzzleDataset(dir, split);
}

export async function readMetadata(dir: string, split: string): Promise<PuzzleDatasetMetadata> {
  return readPuzzleDatasetMetadata(dir, split);
}

/** identifiers.json of a dataset (puzzle names by id), if present and well formed. */
export async function readIdentifiers(dir: string): Promise<string[] | undefined> {
  try {
    const value = JSON.parse(await readFile(join(dir, "identifiers.json"), "utf8"));
    return Array.isArray(value) ? value.map(String) : undefined;
  } catch {
    return undefined;
  }
}
