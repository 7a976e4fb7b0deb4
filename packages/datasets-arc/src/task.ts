import type { Grid } from "./grid";

/** One input/output pair of a puzzle. */
export interface ArcPair {
  input: Grid;
  output: Grid;
}

/** Where a task came from. */
export interface ArcTaskSource {
  /** The file it was read from. */
  file: string;
  /**
   * The subset it belongs to: for a task directory, the first folder below the input directory (`training`,
   * `evaluation`, a ConceptARC concept), or the input directory's own name for files directly inside it; for a
   * Kaggle-style combined file `arc-agi_{subset}_challenges.json`, that subset.
   */
  subset: string;
}

/** An ARC task: demonstration (`train`) pairs and `test` pairs. */
export interface ArcTask {
  id: string;
  train: ArcPair[];
  test: ArcPair[];
  source: ArcTaskSource;
  /** False when test outputs were missing (a challenges file without solutions) and were filled with `[[0]]`. */
  testOutputsKnown: boolean;
}
