/**
 * Child process for the kill tests: saves checkpoints to `dir` in a loop with the built @recurse/core, each one's
 * content a function of its iteration number, and prints `saved <i>` once a save has returned. A restarted child
 * continues after the last iteration it finds. With `--kill-at-rename N` it SIGKILLs itself just before the N-th
 * rename of its run, which lands a kill inside the narrow windows of an atomic replace.
 *
 * Usage: node checkpoint-writer.mjs <dir> [--kill-at-rename N] [--iterations N]
 */
import fsp from "node:fs/promises";
import { syncBuiltinESMExports } from "node:module";

const [dir, ...rest] = process.argv.slice(2);
const flag = (name) => {
  const i = rest.indexOf(name);
  return i >= 0 ? Number(rest[i + 1]) : undefined;
};
const killAtRename = flag("--kill-at-rename");
const iterations = flag("--iterations") ?? Infinity;

if (killAtRename !== undefined) {
  // Patch before core is imported: its `import { rename } from "node:fs/promises"` binding follows the patch.
  let renames = 0;
  const rename = fsp.rename;
  fsp.rename = async (from, to) => {
    renames++;
    if (renames === killAtRename) {
      process.stdout.write(`killing at rename ${renames}: ${from} -> ${to}\n`);
      process.kill(process.pid, "SIGKILL");
      await new Promise(() => {});
    }
    return rename(from, to);
  };
  syncBuiltinESMExports();
}

const { loadCheckpoint, saveCheckpoint } = await import("@recurse/core");
const { contentOf } = await import("./checkpoint-content.mjs");

let start = 0;
try {
  start = (await loadCheckpoint(dir)).config.iteration + 1;
} catch {
  start = 0;
}
process.stdout.write(`ready ${start}\n`);
for (let i = start; i < start + iterations; i++) {
  await saveCheckpoint(dir, contentOf(i));
  process.stdout.write(`saved ${i}\n`);
}
