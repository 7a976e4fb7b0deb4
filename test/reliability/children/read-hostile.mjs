/**
 * Child process for the memory test: reads hostile files that are large on paper (1 GiB sparse files, nearly free on
 * disk) but whose headers are wrong, and prints one JSON line per case with the error class and how far the peak
 * resident set grew. A reader that checks the header before reading the body stays at a few megabytes.
 *
 * Usage: node read-hostile.mjs <dir>
 */
import { mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import { loadCheckpoint, readNpy, readSafetensors, saveCheckpoint } from "@recurse/core";

const dir = process.argv[2];
const GiB = 1024 ** 3;

/** A sparse file of `size` bytes starting with `head`. */
async function sparse(path, head, size = GiB) {
  const h = await open(path, "w");
  await h.write(head, 0, head.length, 0);
  await h.truncate(size);
  await h.close();
  return path;
}

function u64(n) {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}

const header = (json) => Buffer.concat([u64(Buffer.byteLength(json)), Buffer.from(json)]);
const npyHeader = (dict) => {
  const text = dict.padEnd(117) + "\n";
  return Buffer.concat([Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 118, 0]), Buffer.from(text, "latin1")]);
};

const cases = [
  ["safetensors: header length 2^40", () => sparse(join(dir, "a.safetensors"), u64(2 ** 40)).then(readSafetensors)],
  ["safetensors: header length 2^64-1", () => sparse(join(dir, "b.safetensors"), Buffer.alloc(8, 0xff)).then(readSafetensors)],
  ["safetensors: offsets past the end", () => sparse(join(dir, "c.safetensors"), header('{"w":{"dtype":"F32","shape":[1000000000],"data_offsets":[0,4000000000]}}')).then(readSafetensors)],
  ["safetensors: tensors cover less than the file", () => sparse(join(dir, "d.safetensors"), header('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}')).then(readSafetensors)],
  ["npy: garbage header", () => sparse(join(dir, "a.npy"), Buffer.from("not an npy file")).then(readNpy)],
  ["npy: shape larger than the file", () => sparse(join(dir, "b.npy"), npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000,), }")).then(readNpy)],
  [
    "checkpoint: a file larger than its manifest says",
    async () => {
      const ckpt = join(dir, "ckpt");
      await saveCheckpoint(ckpt, { config: {}, tensors: { model: new Map([["w", { dtype: "F32", shape: [1], data: new Float32Array([1]) }]]) } });
      await sparse(join(ckpt, "model.safetensors"), Buffer.from("x"));
      return loadCheckpoint(ckpt);
    },
  ],
  // Last: a header just under the 100 MB bound is read (that is the bound), then refused.
  ["safetensors: header of 99,999,999 bytes that is not JSON", () => sparse(join(dir, "e.safetensors"), u64(99_999_999)).then(readSafetensors)],
];

await mkdir(dir, { recursive: true });
const baseline = process.resourceUsage().maxRSS;
for (const [label, run] of cases) {
  let outcome;
  try {
    await run();
    outcome = "accepted";
  } catch (e) {
    outcome = `${e.constructor.name}: ${String(e.message).slice(0, 160)}`;
  }
  const grewMiB = (process.resourceUsage().maxRSS - baseline) / 1024;
  process.stdout.write(JSON.stringify({ label, outcome, grewMiB: Math.round(grewMiB) }) + "\n");
}


