import { cropGrid } from "./encode";
import type { Grid } from "./grid";
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
