import { existsSync } from "node:fs";
import { join } from "node:path";

/** The file `recurse train` writes into a run directory. */
export const RUN_FILE = "recurse-run.json";

/** True when `dir` looks like a training run. */
export function isRunDir(dir: string): boolean {
  return existsSync(join(dir, RUN_FILE));
}
