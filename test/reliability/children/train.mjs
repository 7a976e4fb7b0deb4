/**
 * Child process for the resume tests: trains the tiny reasoner with the built @recurse/core, checkpointing every
 * step, and prints `step <n> <loss as JSON>` after each step (JSON keeps every bit of a double). With `--resume` it
 * continues from `<out>/checkpoint` when one exists. At the end it prints `done`.
 *
 * Usage: node train.mjs <out> <steps> [--resume]
 */
import { join } from "node:path";
import { initEngine, Trainer } from "@recurse/core";
import { tinyRun } from "../support/tiny-model.mjs";

const [out, stepsText, ...flags] = process.argv.slice(2);
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
