import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join, resolve } from "node:path";

/** The package's own fixtures (always present). */
export const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** The shared data folder beside the checkout; absent in CI. */
export const SHARED_DATA = join(resolve(REPO_ROOT, "../shared"), "data");
export const HAS_SHARED_ARC = existsSync(join(SHARED_DATA, "arc-agi-1", "training"));
