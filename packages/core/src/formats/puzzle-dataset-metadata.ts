import { z } from "zod";
import { DataFormatError } from "../errors";
import { describeIssues, issueExpected, issuePath } from "../registry/zod-issues";
import type { PuzzleDatasetMetadata } from "./puzzle-dataset-types";

/** `dataset.json` as the reference writes it (snake_case); unknown keys from other forks are ignored. */
const metadataFileSchema = z.object({
  pad_id: z.number().int(),
  ignore_label_id: z.number().int().nullable(),
  blank_identifier_id: z.number().int().nonnegative(),
  vocab_size: z.number().int().positive(),
  seq_len: z.number().int().positive(),
  num_puzzle_identifiers: z.number().int().positive(),
  total_groups: z.number().int().nonnegative(),
  mean_puzzle_examples: z.number().nonnegative(),
  total_puzzles: z.number().int().nonnegative().optional(),
  sets: z.array(z.string()),
  recurse: z.looseObject({ dataset: z.string() }).optional(),
});

/**
 * The reference's `dataset.json` object (snake_case, reference field order, our `recurse` object last).
 *
 * @example
 * JSON.stringify(metadataToJson(split.metadata)); // {"pad_id":0,"ignore_label_id":0,...}
 */
export function metadataToJson(m: PuzzleDatasetMetadata): Record<string, unknown> {
  const out: Record<string, unknown> = {
    pad_id: m.padId,
    ignore_label_id: m.ignoreLabelId,
    blank_identifier_id: m.blankIdentifierId,
    vocab_size: m.vocabSize,
    seq_len: m.seqLen,
    num_puzzle_identifiers: m.numPuzzleIdentifiers,
    total_groups: m.totalGroups,
    mean_puzzle_examples: m.meanPuzzleExamples,
  };
  if (m.totalPuzzles !== undefined) out.total_puzzles = m.totalPuzzles;
  out.sets = m.sets;
  if (m.recurse !== undefined) out.recurse = m.recurse;
  return out;
}

/**
 * Validate a parsed `dataset.json` and convert it to camelCase. Errors name `file` and the offending field.
 *
 * @example
 * const meta = metadataFromJson(JSON.parse(text), "data/sudoku/train/dataset.json");
 */
export function metadataFromJson(value: unknown, file = "dataset.json"): PuzzleDatasetMetadata {
  const parsed = metadataFileSchema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new DataFormatError(`invalid metadata: ${describeIssues(parsed.error.issues)}`, {
      file,
      field: issuePath(first.path) || undefined,
      expected: issueExpected(first),
    });
  }
  const v = parsed.data;
  const m: PuzzleDatasetMetadata = {
    padId: v.pad_id,
    ignoreLabelId: v.ignore_label_id,
    blankIdentifierId: v.blank_identifier_id,
    vocabSize: v.vocab_size,
    seqLen: v.seq_len,
    numPuzzleIdentifiers: v.num_puzzle_identifiers,
    totalGroups: v.total_groups,
    meanPuzzleExamples: v.mean_puzzle_examples,
    sets: v.sets,
  };
  if (v.total_puzzles !== undefined) m.totalPuzzles = v.total_puzzles;
  if (v.recurse !== undefined) m.recurse = v.recurse;
  return m;
}
