/**
 * Reader for the golden tensors in fixtures/reference (format "trm-hrm-fixture-tensors/1", see its README).
 * Test support only: the product never reads these files.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export type FixtureArray = Float32Array | Float64Array | Int32Array | Uint8Array;
export interface FixtureTensor {
  name: string;
  dtype: "float32" | "float64" | "int32" | "bool";
  shape: number[];
  data: FixtureArray;
  kind?: "parameter" | "buffer";
  persistent?: boolean;
}

/** Absolute path of fixtures/reference inside the repository. */
export const FIXTURES_DIR = fileURLToPath(new URL("../fixtures/reference/", import.meta.url));

/** Load `<set>/<name>.json` + `.bin` (e.g. set "trm_attn", name "weights" or "tensors"). */
export function loadFixtureTensors(set: string, name: string): Map<string, FixtureTensor> {
  const dir = join(FIXTURES_DIR, set);
  const manifest = JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8"));
  const buf = readFileSync(join(dir, manifest.bin_file));
  // Copy into an own ArrayBuffer so typed views are 8-aligned whatever Node's pool did.
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const out = new Map<string, FixtureTensor>();
  for (const e of manifest.tensors) {
    const n = (e.shape as number[]).reduce((a, b) => a * b, 1);
    const data =
      e.dtype === "float32" ? new Float32Array(ab, e.offset, n)
      : e.dtype === "float64" ? new Float64Array(ab, e.offset, n)
      : e.dtype === "int32" ? new Int32Array(ab, e.offset, n)
      : new Uint8Array(ab, e.offset, n);
    out.set(e.name, { name: e.name, dtype: e.dtype, shape: e.shape, data, kind: e.kind, persistent: e.persistent });
  }
  return out;
}

/** `<set>/scalars.json` or `<set>/config.json` parsed. */
export function loadFixtureJson(set: string, file: "scalars" | "config"): any {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, set, `${file}.json`), "utf8"));
}

/** Max-norm relative error: max|a−b| / max|ref| (the fixtures README's measure). */
export function maxRelError(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  if (actual.length !== reference.length) throw new Error(`length ${actual.length} != ${reference.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - reference[i]));
    scale = Math.max(scale, Math.abs(reference[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/**
 * The set's float32 weights by state_dict name (every entry, non-persistent buffers included), in the form core's
 * `loadWeights` takes.
 */
export function loadFixtureWeights(set: string): Map<string, { shape: number[]; data: Float32Array }> {
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, t] of loadFixtureTensors(set, "weights")) {
    if (t.dtype === "float32") out.set(name, { shape: t.shape, data: t.data as Float32Array });
  }
  return out;
}

/**
 * The `config_as_used` fields TRM and HRM share, under our camelCase names (loss stablemax and seed 0 as the
 * fixtures were made); each architecture adds its own layer fields.
 */
export function sharedFixtureConfig(c: any): Record<string, unknown> {
  return {
    hiddenSize: c.hidden_size,
    numHeads: c.num_heads,
    expansion: c.expansion,
    cycles: c.H_cycles,
    latentSteps: c.L_cycles,
    puzzleEmbNdim: c.puzzle_emb_ndim,
    posEncodings: c.pos_encodings,
    vocabSize: c.vocab_size,
    seqLen: c.seq_len,
    numPuzzleIdentifiers: c.num_puzzle_identifiers,
    haltMaxSteps: c.halt_max_steps,
    haltExplorationProb: c.halt_exploration_prob,
    loss: "stablemax",
    ropeTheta: c.rope_theta,
    rmsNormEps: c.rms_norm_eps,
    seed: 0,
  };
}

/** Relative error of a scalar, |a − b| / |b| (losses against the reference's). */
export function relError(actual: number, reference: number): number {
  return Math.abs(actual - reference) / Math.max(Math.abs(reference), 1e-30);
}

/** Print a parity test's worst error per tensor group: a title line, then one `group  error` line each. */
export function printErrorTable(title: string, errors: Record<string, number>, groupWidth: number): void {
  console.log(`${title}: max relative error per tensor group`);
  for (const [k, v] of Object.entries(errors)) console.log(`  ${k.padEnd(groupWidth)} ${v.toExponential(2)}`);
}
