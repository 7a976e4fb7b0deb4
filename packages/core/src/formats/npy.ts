import { DataFormatError, RecurseError } from "../errors";
import { openForRead, readExactly, readFailure, writeParts } from "./file-io";
import {
  encodeNpyHeader,
  npyItemSize,
  NPY_FIRST_READ,
  NPY_MAX_HEADER_READ,
  parseNpyHeader,
  type NpyDtype,
  type NpyHeader,
} from "./npy-header";
import { assertLittleEndianHost, bytesOf, elementCount, toTypedArray, type ArrayData, type ArrayDtype } from "./typed-values";

export type { NpyDtype, NpyHeader } from "./npy-header";
export { parseNpyHeader, encodeNpyHeader } from "./npy-header";

/** An n-dimensional array in C (row-major) order, as read from or written to a `.npy` file. */
export interface NpyArray {
  /** Element type of `data`. int64 files are narrowed to int32 on read; bool is a Uint8Array of 0/1. */
  dtype: ArrayDtype;
  shape: number[];
  data: ArrayData;
  /** The dtype stored in the file, when this array was read (e.g. `int64` for a narrowed array). */
  storedDtype?: NpyDtype;
}

/** What {@link encodeNpy} and {@link writeNpy} accept: data may be a plain array, converted with range checks. */
export interface NpyInput {
  dtype: ArrayDtype;
  shape: readonly number[];
  data: ArrayLike<number | boolean>;
}

/**
 * Decode a whole `.npy` file: versions 1.0/2.0/3.0, C order, dtypes int32, uint8, float32, bool, and int64
 * (narrowed to int32, failing if a value does not fit). The data is copied, so `bytes` can be released.
 * Every problem is a {@link DataFormatError} naming `file` and the field.
 *
 * @example
 * const arr = decodeNpy(new Uint8Array(await readFile("all__labels.npy")), "all__labels.npy");
 * arr.shape; // [1000, 81]
 */
export function decodeNpy(bytes: Uint8Array, file = "<bytes>"): NpyArray {
  try {
    return decode(bytes, file);
  } catch (e) {
    if (e instanceof RecurseError) throw e;
    throw new DataFormatError(`unreadable .npy: ${(e as Error).message}`, { file }, { cause: e });
  }
}

function decode(bytes: Uint8Array, file: string): NpyArray {
  assertLittleEndianHost();
  const header = parseNpyHeader(bytes, file);
  const length = npyDataLength(header, bytes.length - header.dataOffset, file);
  // Copy into a fresh buffer: aligned for typed views whatever the header length, and not pinning `bytes`.
  // (`new Uint8Array(view)` copies; Buffer#slice would not.)
  const raw = new Uint8Array(bytes.subarray(header.dataOffset, header.dataOffset + length));
  const { dtype, data } = convertNpyData(header.dtype, raw, file, 0);
  return { dtype, shape: header.shape, data, storedDtype: header.dtype };
}

/**
 * Bytes of the array `header` describes, checked to be exactly the `available` bytes after the header: fewer is
 * truncated data, more is trailing bytes. Compared before multiplying out a possibly huge count, so a lying header
 * allocates nothing.
 */
function npyDataLength(header: NpyHeader, available: number, file: string): number {
  const n = elementCount(header.shape, { file, field: "shape" });
  const size = npyItemSize(header.dtype);
  if (n > available / size) {
    throw new DataFormatError(`truncated data: shape [${header.shape.join(", ")}] needs ${n * size} bytes, ${available} present`, {
      file,
      field: "data",
    });
  }
  if (available !== n * size) {
    throw new DataFormatError(`${available - n * size} unexpected bytes after the data of shape [${header.shape.join(", ")}]`, {
      file,
      field: "data",
    });
  }
  return n * size;
}

/**
 * Typed data from raw little-endian bytes of a stored dtype (`raw` must own its buffer from offset 0): int64
 * narrowed to int32 with a range check, bool checked to be 0/1. `firstIndex` is the element index of `raw[0]` in
 * the file, for error messages.
 *
 * @example
 * const { data } = convertNpyData("int64", rawBytes, "ids.npy", 0); // Int32Array
 */
export function convertNpyData(stored: NpyDtype, raw: Uint8Array, file: string, firstIndex: number): { dtype: ArrayDtype; data: ArrayData } {
  const n = raw.length / npyItemSize(stored);
  switch (stored) {
    case "int32":
      return { dtype: "int32", data: new Int32Array(raw.buffer, 0, n) };
    case "float32":
      return { dtype: "float32", data: new Float32Array(raw.buffer, 0, n) };
    case "uint8":
      return { dtype: "uint8", data: raw };
    case "bool": {
      for (let i = 0; i < n; i++) {
        if (raw[i] > 1) throw new DataFormatError(`bool value ${raw[i]} at index ${firstIndex + i}`, { file, field: "data", expected: "0 or 1" });
      }
      return { dtype: "bool", data: raw };
    }
    case "int64": {
      const words = new Int32Array(raw.buffer, 0, 2 * n);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const lo = words[2 * i];
        const hi = words[2 * i + 1];
        // Fits int32 exactly when the high word is the sign extension of the low one.
        if (hi !== lo >> 31) {
          const value = BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo >>> 0));
          throw new DataFormatError(`int64 value ${value} at index ${firstIndex + i} does not fit int32`, { file, field: "data", expected: "values in [-2^31, 2^31)" });
        }
        out[i] = lo;
      }
      return { dtype: "int32", data: out };
    }
  }
}

/**
 * Encode an array as `.npy` bytes, byte-identical to `np.save` (numpy >= 1.24) for the same dtype and shape.
 *
 * @example
 * const bytes = encodeNpy({ dtype: "int32", shape: [2, 3], data: new Int32Array([0, 1, 2, 3, 4, 5]) });
 */
export function encodeNpy(array: NpyInput, file = "<bytes>"): Uint8Array {
  const { header, data } = prepare(array, file);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header, 0);
  out.set(bytesOf(data), header.length);
  return out;
}

function prepare(array: NpyInput, file: string): { header: Uint8Array; data: ArrayData } {
  assertLittleEndianHost();
  if (!Array.isArray(array.shape)) throw new DataFormatError("shape is not an array", { file, field: "shape" });
  const n = elementCount(array.shape, { file, field: "shape" });
  if (array.data.length !== n) {
    throw new DataFormatError(`data has ${array.data.length} elements, shape [${array.shape.join(", ")}] needs ${n}`, { file, field: "data" });
  }
  const data = toTypedArray(array.dtype, array.data, { file, field: "data" });
  return { header: encodeNpyHeader(array.dtype, array.shape), data };
}

/**
 * Read a `.npy` file (see {@link decodeNpy}). A missing or unreadable file is a {@link DataFormatError} too. The
 * header is read and checked against the file size before the data is read, so a file whose header is wrong is
 * refused without loading it.
 *
 * @example
 * const { shape, data } = await readNpy("data/sudoku/train/all__inputs.npy");
 */
export async function readNpy(path: string): Promise<NpyArray> {
  assertLittleEndianHost();
  const handle = await openForRead(path);
  try {
    const size = (await handle.stat()).size;
    let head = await readExactly(handle, 0, Math.min(size, NPY_FIRST_READ), path);
    if (head.length >= 12 && head[6] >= 1 && head[6] <= 3) {
      // A header longer than the first read: read what it announces (the parser bounds it).
      const announced = head[6] === 1 ? 10 + (head[8] | (head[9] << 8)) : 12 + (head[8] | (head[9] << 8) | (head[10] << 16)) + head[11] * 0x1000000;
      if (announced > head.length && announced <= size && announced <= NPY_MAX_HEADER_READ) head = await readExactly(handle, 0, announced, path);
    }
    const header = parseNpyHeader(head, path);
    const raw = await readExactly(handle, header.dataOffset, npyDataLength(header, size - header.dataOffset, path), path);
    const { dtype, data } = convertNpyData(header.dtype, raw, path, 0);
    return { dtype, shape: header.shape, data, storedDtype: header.dtype };
  } catch (e) {
    throw readFailure(e, path);
  } finally {
    await handle.close();
  }
}

/**
 * Write an array to a `.npy` file (see {@link encodeNpy}) without concatenating header and data in memory.
 *
 * @example
 * await writeNpy("all__puzzle_indices.npy", { dtype: "int32", shape: [3], data: [0, 1, 2] });
 */
export async function writeNpy(path: string, array: NpyInput): Promise<void> {
  const { header, data } = prepare(array, path);
  await writeParts(path, [header, bytesOf(data)]);
}
