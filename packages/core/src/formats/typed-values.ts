import { DataFormatError, EngineError } from "../errors";
import { showShape, showValue } from "./show-value";

/** Element types Recurse keeps in memory for array files (int64 is narrowed to int32 on read). */
export type ArrayDtype = "int32" | "uint8" | "float32" | "bool";

/** The typed array that holds each {@link ArrayDtype}; bool is one byte per element, 0 or 1. */
export type ArrayData = Int32Array | Uint8Array | Float32Array;

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Array files are little-endian and we view them with typed arrays, which use the host's byte order. */
export function assertLittleEndianHost(): void {
  if (!HOST_LITTLE_ENDIAN) throw new EngineError("Recurse reads and writes array files only on little-endian hosts");
}

/** Element count of a shape, refusing negative, fractional or unsafe sizes. `field` names the shape in errors. */
export function elementCount(shape: readonly number[], at: { file?: string; field?: string }): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new DataFormatError(`invalid dimension ${showValue(d)} in shape ${showShape(shape)}`, { ...at, expected: "non-negative integers" });
    }
  }
  if (shape.includes(0)) return 0;
  for (const d of shape) {
    n *= d;
    if (n > Number.MAX_SAFE_INTEGER) {
      throw new DataFormatError(`shape ${showShape(shape)} has too many elements`, { ...at, expected: `fewer than 2^53 elements` });
    }
  }
  return n;
}

/** Bytes of a typed array, without copying. */
export function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * `values` as the typed array of `dtype`: returned as is when it already is one (no copy), otherwise converted with
 * a check of every value (integers in range, bool 0/1 or true/false) so nothing is silently wrapped or truncated.
 */
export function toTypedArray(dtype: ArrayDtype, values: ArrayLike<number | boolean>, at: { file?: string; field?: string }): ArrayData {
  if (dtype === "int32" && values instanceof Int32Array) return values;
  if (dtype === "float32" && values instanceof Float32Array) return values;
  if (dtype === "uint8" && values instanceof Uint8Array) return values;
  const n = values.length;
  const bad = (i: number, expected: string) =>
    new DataFormatError(`value ${showValue(values[i])} at index ${i} does not fit ${dtype}`, { ...at, expected });
  switch (dtype) {
    case "int32": {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (typeof v !== "number" || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw bad(i, "integers in [-2^31, 2^31)");
        out[i] = v;
      }
      return out;
    }
    case "uint8": {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 255) throw bad(i, "integers in [0, 255]");
        out[i] = v;
      }
      return out;
    }
    case "float32": {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (typeof v !== "number") throw bad(i, "numbers");
        out[i] = v;
      }
      return out;
    }
    case "bool": {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === true || v === 1) out[i] = 1;
        else if (v !== false && v !== 0) throw bad(i, "0/1 or true/false");
      }
      return out;
    }
  }
}
