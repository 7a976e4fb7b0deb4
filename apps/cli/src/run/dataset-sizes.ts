import { ConfigError, type PuzzleDatasetMetadata } from "@recurse/core";

/** Config keys whose values a dataset decides. */
export const DATASET_SIZE_KEYS = ["vocabSize", "seqLen", "numPuzzleIdentifiers"] as const;

/** Top-level keys of a zod object schema (through defaults, pipes, transforms). */
export function schemaKeys(schema: unknown): string[] {
  let s = schema as { _zod?: { def?: Record<string, unknown> } } | undefined;
  for (let i = 0; i < 20 && s?._zod?.def; i++) {
    const def = s._zod.def;
    if (def.type === "object") return Object.keys(def.shape as object);
    s = (def.innerType ?? def.in) as typeof s;
  }
  return [];
}

/**
 * Overrides with the dataset's sizes filled in (for the keys the architecture's schema has). A `--set` of one of
 * them that disagrees with the dataset is refused: the model could not read the data.
 */
export function withDatasetSizes(
  schema: unknown,
  overrides: Record<string, unknown>,
  metadata: PuzzleDatasetMetadata,
  dataDir: string,
): Record<string, unknown> {
  const keys = new Set(schemaKeys(schema));
  const out = { ...overrides };
  for (const key of DATASET_SIZE_KEYS) {
    if (!keys.has(key)) continue;
    const value = metadata[key];
    if (key in overrides && overrides[key] !== value) {
      throw new ConfigError(`--set ${key}=${String(overrides[key])} disagrees with the dataset (${key} ${value})`, {
        file: dataDir,
        field: key,
        expected: `${value} or no --set (it comes from the dataset)`,
      });
    }
    out[key] = value;
  }
  return out;
}
