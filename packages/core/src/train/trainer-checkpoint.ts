import { z } from "zod";
import { join } from "node:path";
import { tf } from "../tf";
import { CheckpointError } from "../errors";
import type { LoadedCheckpoint } from "../formats/checkpoint";
import type { NamedTensor } from "../formats/safetensors";
import type { SupervisionCarry } from "../reasoner/carry";
import { IGNORE_LABEL } from "../reasoner/types";
import { describeIssues, issueExpected, issuePath } from "../registry/zod-issues";

/**
 * Everything {@link Trainer.restore} reads from a checkpoint, checked before it changes anything: the manifest only
 * proves the files are the ones written, not that they fit this run (or were not edited and re-signed), and a
 * restore that fails half-way would leave the weights of one run with the optimizer of another.
 */

const u32 = z.number().int().min(0).max(0xffffffff);
const rngState = z.array(u32).length(4);

function stateSchema(format: string) {
  return z.object({
    format: z.literal(format),
    step: z.number().int().nonnegative(),
    totalSteps: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    sampler: z.object({
      rng: rngState,
      epoch: z.number().int().nonnegative(),
      cursor: z.number().int().nonnegative(),
      order: z.array(z.number().int().nonnegative()),
    }),
    rng: rngState,
    optimizer: z.object({
      kind: z.string(),
      meta: z.looseObject({ steps: z.record(z.string(), z.number().int().positive()).optional() }),
    }),
    ema: z.object({ rate: z.number().gt(0).lt(1) }).nullable(),
  });
}

/** What the trainer expects the checkpoint to fit. */
export interface TrainerCheckpointExpectation {
  dir: string;
  format: string;
  params: ReadonlyMap<string, tf.Variable>;
  buffers: ReadonlyMap<string, tf.Variable>;
  ema: boolean;
  /** The trainer's current carry: the stored one must have its shapes. */
  carry: SupervisionCarry;
  numGroups: number;
  vocabSize: number;
  numPuzzleIdentifiers: number;
}

export type CheckedTrainerState = z.output<ReturnType<typeof stateSchema>>;

const FLOAT = new Set(["F32", "F64"]);
const INT = new Set(["I32", "I64", "U8", "BOOL"]);

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Validate a loaded checkpoint against the run that restores it; throws {@link CheckpointError} naming the file and
 * field, and returns the typed trainer state.
 *
 * @example
 * const state = checkTrainerCheckpoint(await loadCheckpoint(dir), { dir, format, params, buffers, ema: true, carry, numGroups, vocabSize, numPuzzleIdentifiers });
 */
export function checkTrainerCheckpoint(loaded: LoadedCheckpoint, x: TrainerCheckpointExpectation): CheckedTrainerState {
  const stateFile = join(x.dir, "trainer_state.json");
  const parsed = stateSchema(x.format).safeParse(loaded.state);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new CheckpointError(`invalid trainer state: ${describeIssues(parsed.error.issues)}`, {
      file: stateFile,
      field: issuePath(first.path) || undefined,
      expected: issueExpected(first),
    });
  }
  const state = parsed.data;
  const bad = state.sampler.order.findIndex((g) => g >= x.numGroups);
  if (bad >= 0) {
    throw new CheckpointError(`sampler order names group ${state.sampler.order[bad]}`, { file: stateFile, field: `sampler.order[${bad}]`, expected: `groups below ${x.numGroups}` });
  }

  const stem = (name: string): Map<string, NamedTensor> => {
    const m = loaded.tensors[name];
    if (!m) throw new CheckpointError(`missing ${name}.safetensors`, { file: x.dir });
    return m;
  };
  const expectShapes = (stored: ReadonlyMap<string, NamedTensor>, variables: ReadonlyMap<string, tf.Variable>, file: string) => {
    for (const [name, v] of variables) {
      const t = stored.get(name);
      if (!t) throw new CheckpointError(`missing tensor '${name}'`, { file, expected: "every parameter and buffer of the model" });
      if (!sameShape(t.shape, v.shape)) throw new CheckpointError(`tensor '${name}' has shape [${t.shape}]`, { file, field: name, expected: `[${v.shape}]` });
    }
  };
  const modelFile = join(x.dir, "model.safetensors");
  expectShapes(stem("model"), x.params, modelFile);
  expectShapes(stem("model"), x.buffers, modelFile);
  if (x.ema) expectShapes(stem("train_params"), x.params, join(x.dir, "train_params.safetensors"));

  const optimizerFile = join(x.dir, "optimizer.safetensors");
  const optimizer = stem("optimizer");
  for (const name of Object.keys(state.optimizer.meta.steps ?? {})) {
    const v = x.params.get(name);
    if (!v) throw new CheckpointError(`optimizer state for '${name}', which is not a parameter of this model`, { file: stateFile, field: `optimizer.meta.steps.${name}` });
    for (const suffix of ["exp_avg", "exp_avg_sq"]) {
      const t = optimizer.get(`${name}.${suffix}`);
      if (!t) throw new CheckpointError(`optimizer state lacks '${name}.${suffix}'`, { file: optimizerFile, expected: `${name}.exp_avg and ${name}.exp_avg_sq` });
      if (!sameShape(t.shape, v.shape)) {
        throw new CheckpointError(`tensor '${name}.${suffix}' has shape [${t.shape}]`, { file: optimizerFile, field: `${name}.${suffix}`, expected: `[${v.shape}]` });
      }
    }
  }

  const carryFile = join(x.dir, "carry.safetensors");
  const carry = stem("carry");
  const { batchSize: B, seqLen: L } = x.carry.data;
  const want: [string, number[], Set<string>][] = [
    ["y", x.carry.state.y.shape, FLOAT],
    ["z", x.carry.state.z.shape, FLOAT],
    ["steps", [B], INT],
    ["halted", [B], INT],
    ["inputs", [B, L], INT],
    ["labels", [B, L], INT],
    ["puzzle_ids", [B], INT],
  ];
  for (const [name, shape, dtypes] of want) {
    const t = carry.get(name);
    if (!t) throw new CheckpointError(`missing tensor '${name}'`, { file: carryFile, expected: want.map((w) => w[0]).join(", ") });
    if (!dtypes.has(t.dtype)) throw new CheckpointError(`tensor '${name}' is ${t.dtype}`, { file: carryFile, field: name, expected: [...dtypes].join(" or ") });
    if (!sameShape(t.shape, shape)) throw new CheckpointError(`tensor '${name}' has shape [${t.shape}]`, { file: carryFile, field: name, expected: `[${shape}]` });
  }
  const values = (name: string) => Array.from(carry.get(name)!.data as ArrayLike<number | bigint>, Number);
  const inRange = (name: string, lo: number, hi: number, also?: number) => {
    const i = values(name).findIndex((v) => !(v >= lo && v < hi) && v !== also);
    if (i >= 0) throw new CheckpointError(`tensor '${name}' holds ${values(name)[i]} at ${i}`, { file: carryFile, field: name, expected: `values in [${lo}, ${hi})` });
  };
  inRange("steps", 0, 2 ** 31);
  inRange("halted", 0, 2);
  inRange("inputs", 0, x.vocabSize);
  inRange("labels", 0, x.vocabSize, IGNORE_LABEL);
  inRange("puzzle_ids", 0, x.numPuzzleIdentifiers);
  return state;
}

/**
 * The first non-finite value among the float tensors about to be saved, so a checkpoint never stores weights or
 * moments that an overflowing update has already ruined (the loss of that step was still finite).
 *
 * @example
 * const bad = firstNonFinite({ model, optimizer }); // { stem: "model", name: "L.weight", value: NaN } or undefined
 */
export function firstNonFinite(tensors: Record<string, ReadonlyMap<string, NamedTensor>>): { stem: string; name: string; value: number } | undefined {
  for (const [stem, map] of Object.entries(tensors)) {
    for (const [name, t] of map) {
      if (t.dtype !== "F32" && t.dtype !== "F64") continue;
      const data = t.data as Float32Array | Float64Array;
      for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return { stem, name, value: data[i] };
    }
  }
  return undefined;
}
