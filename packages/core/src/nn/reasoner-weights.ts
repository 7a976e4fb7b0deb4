import { tf } from "../tf";
import { CheckpointError } from "../errors";
import type { RecursiveReasoner } from "../reasoner/types";

/** A float32 tensor's values with its shape, row-major (torch layout). */
export interface WeightTensor {
  shape: readonly number[];
  data: Float32Array;
}

/** Weights by reference state_dict name: bare Float32Arrays (element count checked) or with shapes (shape checked). */
export type NamedWeights = Map<string, Float32Array | WeightTensor> | Record<string, Float32Array | WeightTensor>;

/** Options of {@link loadWeights}. */
export interface LoadWeightsOptions {
  /** Fail when a parameter or buffer of the model is absent from `weights`. Default true. */
  requireAll?: boolean;
  /** Fail on names the model does not have (other than the reference's non-persistent buffers). Default true. */
  rejectUnexpected?: boolean;
  /** Where the weights came from, for error messages (e.g. a checkpoint path). */
  source?: string;
}

/** What {@link loadWeights} did. */
export interface LoadWeightsReport {
  /** Canonical names assigned. */
  loaded: string[];
  /** Model tensors the weights did not have (only when `requireAll` is false). */
  missing: string[];
  /** Names as given that the model does not have (only when `rejectUnexpected` is false). */
  unexpected: string[];
}

/**
 * Reference tensors that are not part of a model's state: torch's non-persistent buffers (RoPE tables, the
 * training-mode scratch copy of the puzzle-embedding rows), which the fixture files and some exports include.
 */
const NON_PERSISTENT = /(^|\.)(rotary_emb\.(cos|sin)_cached|puzzle_emb\.local_(weights|ids))$/;

/**
 * The model-relative state_dict name of a reference checkpoint entry: `pretrain.py` wraps the model in
 * ACTLossHead (`model.`) and usually torch.compile (`_orig_mod.`), so those prefixes are stripped.
 *
 * @example
 * ```ts
 * canonicalWeightName("_orig_mod.model.inner.lm_head.weight"); // "inner.lm_head.weight"
 * ```
 */
export function canonicalWeightName(name: string): string {
  let n = name;
  for (;;) {
    if (n.startsWith("_orig_mod.")) n = n.slice("_orig_mod.".length);
    else if (n.startsWith("model.")) n = n.slice("model.".length);
    else return n;
  }
}

function entries(weights: NamedWeights): [string, Float32Array | WeightTensor][] {
  return weights instanceof Map ? [...weights.entries()] : Object.entries(weights);
}

/**
 * Load weights by the reference's state_dict names into a reasoner's parameters and buffers. Every tensor is
 * checked (shape when given, element count otherwise) before any is assigned, so a failed load leaves the
 * model unchanged. Errors name the tensor, its expected shape and the source.
 *
 * @example
 * ```ts
 * const report = loadWeights(model, new Map([["inner.lm_head.weight", { shape: [12, 32], data }], ...]));
 * ```
 */
export function loadWeights(model: RecursiveReasoner, weights: NamedWeights, options: LoadWeightsOptions = {}): LoadWeightsReport {
  const requireAll = options.requireAll ?? true;
  const rejectUnexpected = options.rejectUnexpected ?? true;
  const file = options.source;
  const targets = new Map<string, tf.Variable>([...model.parameters(), ...model.buffers()]);
  const plan: [tf.Variable, Float32Array][] = [];
  const loaded: string[] = [];
  const unexpected: string[] = [];
  const seen = new Set<string>();

  for (const [rawName, value] of entries(weights)) {
    const name = canonicalWeightName(rawName);
    const target = targets.get(name);
    if (!target) {
      if (!NON_PERSISTENT.test(name)) unexpected.push(rawName);
      continue;
    }
    if (seen.has(name)) throw new CheckpointError(`tensor given twice (as ${rawName})`, { file, field: name });
    seen.add(name);
    const expected = `shape [${target.shape.join(", ")}] float32`;
    const data = value instanceof Float32Array ? value : value?.data;
    if (!(data instanceof Float32Array)) {
      throw new CheckpointError("values are not a Float32Array", { file, field: name, expected });
    }
    if (!(value instanceof Float32Array)) {
      const shape = [...value.shape];
      if (shape.length !== target.shape.length || shape.some((d, i) => d !== target.shape[i])) {
        throw new CheckpointError(`shape [${shape.join(", ")}] does not fit the model`, { file, field: name, expected });
      }
    }
    if (data.length !== target.size) {
      throw new CheckpointError(`has ${data.length} values, the model's has ${target.size}`, { file, field: name, expected });
    }
    plan.push([target, data]);
    loaded.push(name);
  }

  const missing = [...targets.keys()].filter((n) => !seen.has(n));
  if (requireAll && missing.length > 0) {
    throw new CheckpointError(`missing ${missing.length} tensor(s): ${missing.join(", ")}`, {
      file,
      field: missing[0],
      expected: "every parameter and buffer of the model",
    });
  }
  if (rejectUnexpected && unexpected.length > 0) {
    throw new CheckpointError(`${unexpected.length} tensor(s) the ${model.architecture} model does not have: ${unexpected.join(", ")}`, {
      file,
      field: unexpected[0],
      expected: `names of ${model.architecture}'s parameters and buffers`,
    });
  }
  for (const [variable, data] of plan) {
    tf.tidy(() => variable.assign(tf.tensor(data, variable.shape, "float32")));
  }
  return { loaded, missing, unexpected };
}

/**
 * Every parameter and (unless `includeBuffers` is false) buffer of a reasoner, by reference state_dict name, as
 * shaped float32 copies: what a safetensors checkpoint writer or a PyTorch exporter needs.
 *
 * @example
 * ```ts
 * const sd = exportWeights(model);
 * sd.get("inner.L_level.layers.0.mlp.down_proj.weight")!.shape; // [D, inter]
 * ```
 */
export function exportWeights(model: RecursiveReasoner, options: { includeBuffers?: boolean } = {}): Map<string, WeightTensor> {
  const out = new Map<string, WeightTensor>();
  const sources = options.includeBuffers === false ? [model.parameters()] : [model.parameters(), model.buffers()];
  for (const source of sources) {
    for (const [name, v] of source) out.set(name, { shape: [...v.shape], data: Float32Array.from(v.dataSync() as Float32Array) });
  }
  return out;
}
