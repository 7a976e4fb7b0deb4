/**
 * Child process for the resume tests: trains the tiny reasoner with the built @recurse/core, checkpointing every
 * step, and prints `step <n> <loss as JSON>` after each step (JSON keeps every bit of a double). With `--resume` it
 * continues from `<out>/checkpoint` when one exists. At the end it prints `done`. With `--kill-in-log-rewrite` it
 * SIGKILLs itself half-way through the first write that rewrites `metrics.jsonl` (or a temporary copy of it).
 *
 * Usage: node train.mjs <out> <steps> [--resume] [--kill-in-log-rewrite]
 */
import fsp from "node:fs/promises";
import { syncBuiltinESMExports } from "node:module";
import { join } from "node:path";

const [out, stepsText, ...flags] = process.argv.slice(2);

if (flags.includes("--kill-in-log-rewrite")) {
  // Patched before core is imported, so its `import { writeFile, open } from "node:fs/promises"` sees the patch.
  const halfThenDie = async (write, data) => {
    const bytes = typeof data === "string" ? Buffer.from(data) : Buffer.from(data);
    await write(bytes.subarray(0, bytes.length >> 1));
    process.stdout.write("killing in the log rewrite\n");
    process.kill(process.pid, "SIGKILL");
    await new Promise(() => {});
  };
  const { writeFile, open } = fsp;
  fsp.writeFile = async (path, data, options) => {
    if (!String(path).includes("metrics.jsonl")) return writeFile(path, data, options);
    const handle = await open(path, "w");
    return halfThenDie((b) => handle.write(b), data);
  };
  fsp.open = async (path, flags, mode) => {
    const handle = await open(path, flags, mode);
    if (!String(path).includes("metrics.jsonl") || !/w/.test(String(flags))) return handle;
    return new Proxy(handle, { get: (h, key) => (key === "writeFile" ? (data) => halfThenDie((b) => h.write(b), data) : typeof h[key] === "function" ? h[key].bind(h) : h[key]) });
  };
  syncBuiltinESMExports();
}

const { initEngine, Trainer } = await import("@recurse/core");
const { tinyRun } = await import("../support/tiny-model.mjs");
await initEngine("cpu");
const { reasoner, options } = tinyRun({
  outDir: out,
  steps: Number(stepsText),
  checkpointEvery: 1,
  onProgress: (e) => {
    if (e.type === "step") process.stdout.write(`step ${e.step} ${JSON.stringify(e.metrics.loss)}\n`);
  },
});
const trainer = new Trainer(options);
if (flags.includes("--resume")) {
  try {
    await trainer.restore(join(out, "checkpoint"));
    process.stdout.write(`resumed ${trainer.stepsDone}\n`);
  } catch (e) {
    // Only a missing checkpoint (killed before the first save) starts afresh; anything else is a failure.
    if (!/not a checkpoint/.test(e.message)) throw e;
    process.stdout.write("fresh\n");
  }
}
await trainer.run();
trainer.dispose();
reasoner.dispose();
process.stdout.write("done\n");
