import { DataFormatError, definePlugin, type DatasetSpec, type Plugin, type PuzzleDatasetMetadata } from "@recurse/core";
import { buildArcDataset } from "./build";
import { ARC_SEQ_LEN, ARC_VOCAB_SIZE, encodeGrid } from "./encode";
import { renderTokens } from "./render";
import { arcBuildSchema, type ArcBuildSchemaOptions } from "./schema";
import { validateGrid } from "./validate";

function colourDepth(): 24 | 8 {
  const ct = (typeof process !== "undefined" && process.env.COLORTERM) || "";
  return /truecolor|24bit/i.test(ct) ? 24 : 8;
}

/**
 * Parses a user-typed ARC grid (JSON: `[[0, 1], [2, 3]]`, or `{"input": [[...]]}`) into 900 input tokens.
 *
 * @example
 * ```ts
 * const tokens = parseArcPuzzle("[[0, 1], [2, 3]]"); // Int32Array(900), tokens[0] = 2
 * ```
 */
export function parseArcPuzzle(text: string): Int32Array {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new DataFormatError(`is not JSON: ${(cause as Error).message}`, { field: "puzzle", expected: "an ARC grid as JSON, e.g. [[0, 1], [2, 3]]" }, { cause });
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value) && "input" in value) value = (value as { input: unknown }).input;
  return Int32Array.from(encodeGrid(validateGrid(value, { puzzle: "typed puzzle" })));
}

/**
 * Whether a dataset on disk is ARC: built here (`recurse.dataset === "arc"`), or a reference-built dataset of the
 * ARC shape (900 tokens, vocabulary 12; mazes have 900 tokens but 6 ids).
 */
export function isArcDataset(metadata: PuzzleDatasetMetadata): boolean {
  if (metadata.recurse !== undefined) return metadata.recurse.dataset === "arc";
  return metadata.seqLen === ARC_SEQ_LEN && metadata.vocabSize === ARC_VOCAB_SIZE;
}

/**
 * The `arc` dataset kind: builds reference-format ARC datasets (ARC-AGI-1, ARC-AGI-2, ConceptARC; see
 * {@link buildArcDataset}), recognises them, renders their examples with the ARC palette and parses typed grids.
 *
 * @example
 * ```ts
 * const options = arcDataset.buildSchema.parse({ inputs: ["data/arc-agi-1"], out: "data/arc1", augmentations: 8 });
 * await arcDataset.build(options);
 * ```
 */
export const arcDataset: DatasetSpec<ArcBuildSchemaOptions> = {
  id: "arc",
  description: "ARC-AGI-1/2 and ConceptARC: 30x30 grids (PAD 0, EOS 1, colours 2..11), dihedral x colour x translation augmentation",
  buildSchema: arcBuildSchema,
  build: (options, hooks) => buildArcDataset(options, hooks),
  detect: isArcDataset,
  render: (tokens, _metadata, options) => renderTokens(tokens, { color: options?.color ?? false, colorDepth: colourDepth() }),
  parsePuzzle: (text) => parseArcPuzzle(text),
};

/**
 * The plugin object of this package: the `arc` dataset kind.
 *
 * @example
 * ```ts
 * const registry = createRegistry().use(arc);
 * ```
 */
export const arc: Plugin = definePlugin({ name: "@recurse/datasets-arc", datasets: [arcDataset] });
