import type { Grid } from "./grid";

/**
 * Maps one example of an augmented ARC puzzle back to the original puzzle's frame. The eval package knows nothing
 * about the ARC encoding; the ARC dataset package provides an implementation (crop the 30×30 token grid, undo the
 * dihedral transform, undo the colour permutation named in the identifier) and the CLI passes it in.
 *
 * @example
 * ```ts
 * const inverter: PredictionInverter = {
 *   originalName: (id) => id.split("|||")[0],
 *   toOriginalGrid: (tokens, id) => undoAugmentation(crop(tokens), id),
 * };
 * ```
 */
export interface PredictionInverter {
  /**
   * The original puzzle's name for an identifier name, e.g. `"007bbfb7|||t3|||0213456789"` → `"007bbfb7"`.
   * The unaugmented version's identifier is its own original name.
   */
  originalName(identifier: string): string;
  /**
   * Decode one example's tokens ([seqLen], the dataset's encoding: inputs, argmax predictions or labels, with
   * ignored label positions given as the pad id) of the puzzle version `identifier` into a grid in the original
   * frame.
   */
  toOriginalGrid(tokens: Int32Array, identifier: string): Grid;
}
