import { cropGrid } from "./encode";
import { gridToRows, type Grid } from "./grid";
import { invertPlan, parseVersionName, type AugmentationPlan } from "./plan";

/**
 * A model's prediction for an example of an augmented puzzle version, brought back to the original puzzle's frame:
 * the reference crop (largest top-left rectangle of colour tokens), the inverse dihedral transform, then the
 * inverse colour permutation. `version` is the puzzle identifier's name (identifiers.json), a parsed plan, or null
 * for an original puzzle. This is what ARC voting hashes and counts.
 *
 * @example
 * ```ts
 * const names = JSON.parse(readFileSync("data/arc/identifiers.json", "utf8"));
 * const grid = predictionToOriginal(names[puzzleIdentifier], predictedTokens); // Grid in the original frame
 * ```
 */
export function predictionToOriginal(version: string | AugmentationPlan | null, tokens: ArrayLike<number>): Grid {
  const plan = typeof version === "string" ? parseVersionName(version).plan : version;
  const cropped = cropGrid(tokens);
  return plan === null ? cropped : invertPlan(cropped, plan);
}

/**
 * The ARC prediction inverter the eval package's ARC voting takes (its `PredictionInverter`): the original puzzle
 * name of an identifier name, and an example's tokens decoded into the original frame as rows of colours.
 *
 * @example
 * ```ts
 * arcPredictionInverter.originalName("007bbfb7|||t3|||0213456789"); // "007bbfb7"
 * arcPredictionInverter.toOriginalGrid(predictedTokens, "007bbfb7|||t3|||0213456789"); // number[][]
 * ```
 */
export const arcPredictionInverter = {
  originalName(identifier: string): string {
    return parseVersionName(identifier).puzzleId;
  },
  toOriginalGrid(tokens: ArrayLike<number>, identifier: string): number[][] {
    return gridToRows(predictionToOriginal(identifier, tokens));
  },
};
