// The bundled checkpoints (checkpoints/sudoku6/<model>/) and the bundled held-out test set (data/sudoku6/test),
// shared by the demo, the bench and the checkpoint test.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CHECKPOINTS = "checkpoints/sudoku6";
export const TEST_DATA = "data/sudoku6";

/** The order models appear in tables: the papers' ordering first, anything else after, by name. */
const ORDER = ["trm-mlp", "trm-att", "hrm-mlp", "hrm", "baseline"];

/**
 * Bundled checkpoints: `{ name, dir, recipe }` for every `checkpoints/sudoku6/<name>/manifest.json` (or under
 * `base`), `recipe` being its RECIPE.json (how it was trained and what it scored) or null.
 */
export function bundledCheckpoints(root = repoRoot, base = join(root, CHECKPOINTS)) {
  if (!existsSync(base)) return [];
  const names = readdirSync(base, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(base, d.name, "manifest.json")))
    .map((d) => d.name);
  const rank = (n) => (ORDER.includes(n) ? ORDER.indexOf(n) : ORDER.length);
  names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return names.map((name) => {
    const dir = join(base, name);
    const recipeFile = join(dir, "RECIPE.json");
    return { name, dir, recipe: existsSync(recipeFile) ? JSON.parse(readFileSync(recipeFile, "utf8")) : null };
  });
}
