import type { z } from "zod";
import type { EvaluationOutput, RecursiveReasoner } from "../reasoner/types";
import type { PuzzleDatasetMetadata } from "../formats/puzzle-dataset-types";

/**
 * An architecture the registry can build: a zod config schema (with defaults), named presets and a factory.
 * Configs include the dataset-dependent sizes (vocabSize, seqLen, numPuzzleIdentifiers) as the reference does.
 */
export interface ArchitectureSpec<C extends Record<string, unknown> = Record<string, unknown>> {
  id: string;
  description: string;
  /** Validates and fills defaults for a full config. */
  schema: z.ZodType<C>;
  /** Named partial configs merged over the schema defaults: the papers' configs and small CPU ones. */
  presets: Record<string, Partial<C>>;
  /** Preset used when none is named. */
  defaultPreset: string;
  /** Build a freshly initialised reasoner (seeded by the config's `seed`). */
  create(config: C): RecursiveReasoner;
}

/** What a dataset build wrote. */
export interface DatasetBuildReport {
  out: string;
  splits: Record<string, { examples: number; puzzles: number; groups: number }>;
  seconds: number;
}

/** A dataset kind: builds reference-format datasets and renders its puzzles. */
export interface DatasetSpec<B = Record<string, unknown>> {
  id: string;
  description: string;
  /** Options of `build`, validated before the build starts. */
  buildSchema: z.ZodType<B>;
  build(options: B, hooks?: { onProgress?: (done: number, total: number) => void }): Promise<DatasetBuildReport>;
  /** True when a dataset on disk (by its metadata) was built by this kind. */
  detect(metadata: PuzzleDatasetMetadata): boolean;
  /** Text rendering of one example's tokens ([L]); `color` asks for ANSI colours. */
  render(tokens: ArrayLike<number>, metadata: PuzzleDatasetMetadata, options?: { color?: boolean }): string;
  /** Parse a user-typed puzzle into input tokens ([L]), for `recurse solve`. */
  parsePuzzle?(text: string, metadata: PuzzleDatasetMetadata): Int32Array;
}

/** Context an evaluator gets beside the outputs. */
export interface EvaluatorContext {
  metadata: PuzzleDatasetMetadata;
  /** Puzzle identifier names (identifiers.json), when the dataset has them. */
  identifiers?: string[];
}

/** A metric family computed from an {@link EvaluationOutput}. */
export interface EvaluatorSpec {
  id: string;
  description: string;
  /** Whether this evaluator applies to a dataset (e.g. ARC voting only to ARC). */
  appliesTo?(metadata: PuzzleDatasetMetadata): boolean;
  evaluate(output: EvaluationOutput, context: EvaluatorContext): Record<string, unknown>;
}

/** A plain object that contributes architectures, datasets and evaluators; made by `definePlugin`. */
export interface Plugin {
  name: string;
  version?: string;
  architectures?: ArchitectureSpec<any>[];
  datasets?: DatasetSpec<any>[];
  evaluators?: EvaluatorSpec[];
}
