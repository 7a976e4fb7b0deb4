/**
 * Child process for the dataset-build kill test: builds an ARC dataset from the repository's fixture tasks with
 * the built @recurse/datasets-arc and prints `building` when it starts and `built` when it has finished.
 *
 * Usage: node build-arc.mjs <out> <seed> <augmentations>
 */
import { buildArcDataset } from "@recurse/datasets-arc";

const [out, seed, augmentations] = process.argv.slice(2);
process.stdout.write("building\n");
await buildArcDataset({ inputs: [new URL("../../../packages/datasets-arc/fixtures/arc-agi-1", import.meta.url).pathname], out, seed: Number(seed), augmentations: Number(augmentations) });
process.stdout.write("built\n");
