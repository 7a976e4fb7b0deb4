import { tf } from "../tf";
import { CheckpointError } from "../errors";
import type { NamedTensor } from "../formats/safetensors";

/** Host copy of a tensor for a safetensors file (float32 → F32, int32 → I32, bool → BOOL). */
export function toNamedTensor(t: tf.Tensor): NamedTensor {
  const shape = [...t.shape];
  switch (t.dtype) {
    case "float32":
      return { dtype: "F32", shape, data: Float32Array.from(t.dataSync() as Float32Array) };
    case "int32":
      return { dtype: "I32", shape, data: Int32Array.from(t.dataSync() as Int32Array) };
    case "bool":
      return { dtype: "BOOL", shape, data: Uint8Array.from(t.dataSync() as Uint8Array) };
    default:
      throw new CheckpointError(`cannot store a ${t.dtype} tensor`, { expected: "float32, int32 or bool" });
  }
}

/** Host copies of named tensors. */
export function toNamedTensors(tensors: ReadonlyMap<string, tf.Tensor>): Map<string, NamedTensor> {
  const out = new Map<string, NamedTensor>();
  for (const [name, t] of tensors) out.set(name, toNamedTensor(t));
  return out;
}

/** A tensor from a stored one; float64 values are narrowed to float32, int64 to int32. */
export function fromNamedTensor(t: NamedTensor, at: { file?: string; field?: string } = {}): tf.Tensor {
  switch (t.dtype) {
    case "F32":
      return tf.tensor(t.data, t.shape, "float32");
    case "F64":
      return tf.tensor(Float32Array.from(t.data), t.shape, "float32");
    case "I32":
      return tf.tensor(t.data, t.shape, "int32");
    case "I64":
      return tf.tensor(Int32Array.from(t.data, (v) => Number(v)), t.shape, "int32");
    case "U8":
    case "BOOL":
      return tf.tensor(Int32Array.from(t.data), t.shape, "int32");
    default:
      throw new CheckpointError("unsupported tensor dtype", { ...at, expected: "F32, F64, I32, I64, U8 or BOOL" });
  }
}

/**
 * Assign stored values to variables by name, checking every variable is present with its shape.
 *
 * @param where the file the tensors came from, for error messages
 */
export function assignNamed(
  variables: ReadonlyMap<string, tf.Variable>,
  stored: ReadonlyMap<string, NamedTensor>,
  where: string,
  prefix = "",
): void {
  for (const [name, v] of variables) {
    const t = stored.get(prefix + name);
    if (!t) throw new CheckpointError(`missing tensor '${prefix + name}'`, { file: where, expected: "every parameter and buffer of the model" });
    if (t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i])) {
      throw new CheckpointError(`tensor '${prefix + name}' has shape [${t.shape}]`, { file: where, field: prefix + name, expected: `[${v.shape}]` });
    }
    tf.tidy(() => v.assign(fromNamedTensor(t, { file: where, field: prefix + name }).cast(v.dtype)));
  }
}

/** Tensors of an optimizer/EMA state as stored tensors with a name prefix (then disposes the state's copies). */
export function stateTensors(tensors: Map<string, tf.Tensor>, prefix = ""): Map<string, NamedTensor> {
  const out = new Map<string, NamedTensor>();
  for (const [name, t] of tensors) {
    out.set(prefix + name, toNamedTensor(t));
    t.dispose();
  }
  return out;
}

/** Stored tensors (optionally only those under `prefix`, which is stripped) as tf tensors owned by the caller. */
export function tensorsFromStored(stored: ReadonlyMap<string, NamedTensor>, prefix = ""): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [name, t] of stored) if (name.startsWith(prefix)) out.set(name.slice(prefix.length), fromNamedTensor(t));
  return out;
}
