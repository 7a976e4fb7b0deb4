import { DataFormatError, type Rng } from "@recurse/core";
import { identityColours, invertColours, isColourPermutation, mapColours, randomColourPermutation, type ColourPermutation } from "./colours";
import { DIHEDRAL_INVERSE, dihedral, isDihedralId, type DihedralId } from "./dihedral";
import type { Grid } from "./grid";

/** One augmentation of a puzzle: recolour with `colours`, then apply dihedral transform `transform`. */
export interface AugmentationPlan {
  transform: DihedralId;
  /** `colours[c]` is the new colour of colour `c`; `colours[0] === 0` for the builder's plans. */
  colours: ColourPermutation;
}

/** Separator of the TRM builder's version names, `"{id}|||t{tid}|||{perm}"`. */
export const VERSION_SEPARATOR = "|||";

/** The plan that changes nothing (the original puzzle). */
export function identityPlan(): AugmentationPlan {
  return { transform: 0, colours: identityColours() };
}

/**
 * A random plan as the reference draws it: a dihedral id in 0..7 and a permutation of colours 1..9 (0 kept).
 *
 * @example
 * ```ts
 * const plan = randomPlan(new Rng(42)); // { transform: 0..7, colours: [0, ...] }
 * ```
 */
export function randomPlan(rng: Rng): AugmentationPlan {
  const transform = rng.int(0, 8) as DihedralId;
  return { transform, colours: randomColourPermutation(rng) };
}

/**
 * Augments a grid: `dihedral(colours[grid], transform)`, as the reference `_map_grid`.
 *
 * @example
 * ```ts
 * const out = applyPlan(grid, { transform: 1, colours: identityColours() }); // rot90
 * ```
 */
export function applyPlan(grid: Grid, plan: AugmentationPlan): Grid {
  return dihedral(mapColours(grid, plan.colours), plan.transform);
}

/**
 * Undoes {@link applyPlan}: inverse dihedral transform, then the inverse colour permutation.
 *
 * @example
 * ```ts
 * invertPlan(applyPlan(grid, plan), plan); // equals grid
 * ```
 */
export function invertPlan(grid: Grid, plan: AugmentationPlan): Grid {
  return mapColours(dihedral(grid, DIHEDRAL_INVERSE[plan.transform]), invertColours(plan.colours));
}

/**
 * The version name of an augmented puzzle, as the TRM builder writes it: `"{id}|||t{tid}|||{perm}"`, where perm is
 * the ten new colours of 0..9 as digits. The original puzzle keeps its bare id.
 *
 * @example
 * ```ts
 * versionName("007bbfb7", plan); // "007bbfb7|||t3|||0213456789"
 * ```
 */
export function versionName(puzzleId: string, plan: AugmentationPlan | null): string {
  if (plan === null) return puzzleId;
  return `${puzzleId}${VERSION_SEPARATOR}t${plan.transform}${VERSION_SEPARATOR}${Array.from(plan.colours).join("")}`;
}

/** A version name split into the original puzzle id and the plan (null for an original). */
export interface ParsedVersionName {
  puzzleId: string;
  plan: AugmentationPlan | null;
}

/**
 * Parses a version name written by {@link versionName} (or the TRM builder). HRM-style names
 * (`"{id}_t{tid}_{perm}"`) are accepted too when the suffix has exactly that form.
 *
 * @example
 * ```ts
 * parseVersionName("007bbfb7|||t3|||0213456789"); // { puzzleId: "007bbfb7", plan: { transform: 3, colours: [...] } }
 * parseVersionName("007bbfb7");                   // { puzzleId: "007bbfb7", plan: null }
 * ```
 */
export function parseVersionName(name: string): ParsedVersionName {
  let puzzleId: string;
  let t: string;
  let perm: string;
  if (name.includes(VERSION_SEPARATOR)) {
    const parts = name.split(VERSION_SEPARATOR);
    if (parts.length < 3) throw badName(name);
    [t, perm] = parts.slice(-2);
    puzzleId = parts.slice(0, -2).join(VERSION_SEPARATOR);
  } else {
    const m = /^(.*)_(t[0-7])_(\d{10})$/.exec(name);
    if (!m) return { puzzleId: name, plan: null };
    [, puzzleId, t, perm] = m;
  }
  const transform = Number(t.slice(1));
  if (t[0] !== "t" || !isDihedralId(transform) || !/^\d{10}$/.test(perm)) throw badName(name);
  const colours = Uint8Array.from(perm, (d) => Number(d));
  if (!isColourPermutation(colours)) throw badName(name);
  return { puzzleId, plan: { transform, colours } };
}

function badName(name: string): DataFormatError {
  return new DataFormatError(`cannot parse puzzle version name ${JSON.stringify(name)}`, {
    field: "puzzle identifier name",
    expected: `"{id}${VERSION_SEPARATOR}t{0..7}${VERSION_SEPARATOR}{permutation of the digits 0..9}" or a bare id`,
  });
}
