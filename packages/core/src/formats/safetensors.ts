import { DataFormatError, RecurseError } from "../errors";
import { openForRead, readExactly, readFailure, writeParts } from "./file-io";
import { showValue } from "./show-value";
import { assertLittleEndianHost, bytesOf, elementCount } from "./typed-values";

/**
 * safetensors (https://github.com/huggingface/safetensors): 8-byte little-endian header length N, N bytes of JSON
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}`, then the tensor bytes,
 * offsets relative to the end of the header. PyTorch tools read our files and we read theirs.
 */

/** safetensors dtypes Recurse reads and writes. */
export type SafetensorsDtype = "F32" | "F64" | "I32" | "I64" | "U8" | "BOOL";

/** Typed array for each dtype (BOOL: one byte per element, 0 or 1). */
export interface SafetensorsDataMap {
  F32: Float32Array;
  F64: Float64Array;
  I32: Int32Array;
  I64: BigInt64Array;
  U8: Uint8Array;
  BOOL: Uint8Array;
}

/** A tensor with its dtype, shape ([] for a scalar) and row-major data. */
export type NamedTensor = {
  [D in SafetensorsDtype]: { dtype: D; shape: number[]; data: SafetensorsDataMap[D] };
}[SafetensorsDtype];

/** Decoded file: tensors in file order and the `__metadata__` string map. */
export interface SafetensorsFile {
  tensors: Map<string, NamedTensor>;
  metadata: Record<string, string>;
}

const DTYPE_SIZE: Record<SafetensorsDtype, number> = { F32: 4, F64: 8, I32: 4, I64: 8, U8: 1, BOOL: 1 };
/** The reference implementation's bound: refuse a header over 100 MB before allocating it. */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = "__metadata__";

function isDtype(v: unknown): v is SafetensorsDtype {
  return typeof v === "string" && Object.prototype.hasOwnProperty.call(DTYPE_SIZE, v);
}

function checkData(name: string, t: NamedTensor, file: string): void {
  const ok =
    (t.dtype === "F32" && t.data instanceof Float32Array) ||
    (t.dtype === "F64" && t.data instanceof Float64Array) ||
    (t.dtype === "I32" && t.data instanceof Int32Array) ||
    (t.dtype === "I64" && t.data instanceof BigInt64Array) ||
    ((t.dtype === "U8" || t.dtype === "BOOL") && t.data instanceof Uint8Array);
  if (!ok) {
    const ctor: unknown = typeof t.data === "object" && t.data !== null ? (t.data as { constructor?: { name?: unknown } }).constructor?.name : undefined;
    throw new DataFormatError(`data is a ${typeof ctor === "string" ? ctor : typeof t.data}`, { file, field: name, expected: `the typed array of dtype ${t.dtype}` });
  }
  if (t.dtype === "BOOL") {
    const d = t.data as Uint8Array;
    for (let i = 0; i < d.length; i++) {
      if (d[i] > 1) throw new DataFormatError(`bool value ${d[i]} at index ${i}`, { file, field: name, expected: "0 or 1" });
    }
  }
}

/** Validate and lay out a file as its header bytes and the tensors' bytes in order (nothing concatenated). */
export function safetensorsParts(tensors: Map<string, NamedTensor>, metadata: Record<string, string>, file: string): { head: Uint8Array; parts: Uint8Array[]; dataLength: number } {
  assertLittleEndianHost();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") throw new DataFormatError(`metadata value is ${typeof v}`, { file, field: `${METADATA_KEY}.${k}`, expected: "a string" });
    }
    header[METADATA_KEY] = metadata;
  }
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    if (name === "" || name === METADATA_KEY) throw new DataFormatError(`invalid tensor name ${JSON.stringify(name)}`, { file, field: "name", expected: `a non-empty name other than ${METADATA_KEY}` });
    if (!isDtype(t.dtype)) throw new DataFormatError(`unsupported dtype ${showValue(t.dtype)}`, { file, field: name, expected: Object.keys(DTYPE_SIZE).join(", ") });
    if (!Array.isArray(t.shape)) throw new DataFormatError("shape is not an array", { file, field: name });
    const n = elementCount(t.shape, { file, field: name });
    checkData(name, t, file);
    if (t.data.length !== n) {
      throw new DataFormatError(`data has ${t.data.length} elements, shape [${t.shape.join(", ")}] needs ${n}`, { file, field: name });
    }
    const bytes = bytesOf(t.data);
    // Defined, not assigned: assigning a tensor named "__proto__" would set the prototype and drop it from the JSON.
    Object.defineProperty(header, name, {
      value: { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes.length] },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    offset += bytes.length;
    parts.push(bytes);
  }
  let json = JSON.stringify(header);
  // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
  const jsonBytes = new TextEncoder().encode(json);
  const pad = (8 - ((8 + jsonBytes.length) % 8)) % 8;
  json += " ".repeat(pad);
  const head = new Uint8Array(8 + jsonBytes.length + pad);
  new DataView(head.buffer).setBigUint64(0, BigInt(jsonBytes.length + pad), true);
  head.set(new TextEncoder().encode(json), 8);
  return { head, parts, dataLength: offset };
}

/**
 * Encode tensors (in map order) and an optional string metadata map as safetensors bytes.
 *
 * @example
 * const bytes = encodeSafetensors(new Map([["w", { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) }]]));
 */
export function encodeSafetensors(tensors: Map<string, NamedTensor>, metadata: Record<string, string> = {}, file = "<bytes>"): Uint8Array {
  assertLittleEndianHost();
  const { head, parts, dataLength } = safetensorsParts(tensors, metadata, file);
  const out = new Uint8Array(head.length + dataLength);
  out.set(head, 0);
  let at = head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Decode safetensors bytes, validating everything before allocating tensors: header length bounded
 * ({@link SAFETENSORS_MAX_HEADER_BYTES}) and within the file, dtypes supported, shapes sane, offsets in range,
 * contiguous from 0 and covering the whole data section, byte counts = elements × dtype size, metadata a string map.
 * Errors are {@link DataFormatError}s naming `file` and the tensor.
 *
 * @example
 * const { tensors, metadata } = decodeSafetensors(new Uint8Array(await readFile("model.safetensors")), "model.safetensors");
 */
export function decodeSafetensors(bytes: Uint8Array, file = "<bytes>"): SafetensorsFile {
  try {
    return decode(bytes, file);
  } catch (e) {
    if (e instanceof RecurseError) throw e;
    throw new DataFormatError(`unreadable safetensors: ${(e as Error).message}`, { file }, { cause: e });
  }
}

interface Entry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

function decode(bytes: Uint8Array, file: string): SafetensorsFile {
  assertLittleEndianHost();
  const lo = headerLength(bytes, bytes.length, file);
  const { entries, metadata } = parseHeader(bytes.subarray(8, 8 + lo), bytes.length - 8 - lo, file);
  return { tensors: tensorsFrom(entries, bytes.subarray(8 + lo), file), metadata };
}

/** The header length in the 8-byte `prefix`, refused when over the bound or past the end of a file of `total` bytes. */
function headerLength(prefix: Uint8Array, total: number, file: string): number {
  if (total < 8 || prefix.length < 8) throw new DataFormatError(`file of ${total} bytes has no header length`, { file, field: "header_len", expected: "8 bytes" });
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  if (hi !== 0 || lo > SAFETENSORS_MAX_HEADER_BYTES) {
    const n = BigInt(hi) * 2n ** 32n + BigInt(lo);
    throw new DataFormatError(`header length ${n} is too large`, { file, field: "header_len", expected: `at most ${SAFETENSORS_MAX_HEADER_BYTES}` });
  }
  if (8 + lo > total) {
    throw new DataFormatError(`truncated header (${lo} bytes announced, ${total - 8} present)`, { file, field: "header" });
  }
  return lo;
}

/** Parse the header JSON and check every entry against a data section of `dataLength` bytes; nothing is allocated for tensors. */
function parseHeader(headerBytes: Uint8Array, dataLength: number, file: string): { entries: Entry[]; metadata: Record<string, string> } {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(headerBytes));
  } catch (cause) {
    throw new DataFormatError(`header is not valid UTF-8 JSON: ${(cause as Error).message}`, { file, field: "header" }, { cause });
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw new DataFormatError("header is not a JSON object", { file, field: "header", expected: "{name: {dtype, shape, data_offsets}}" });
  }
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === METADATA_KEY) {
      metadata = parseMetadata(value, file);
      continue;
    }
    entries.push(parseEntry(name, value, dataLength, file));
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expectedBegin = 0;
  for (const e of sorted) {
    if (e.begin !== expectedBegin) {
      throw new DataFormatError(
        e.begin < expectedBegin ? `data_offsets [${e.begin}, ${e.end}] overlap another tensor` : `gap before data_offsets [${e.begin}, ${e.end}]`,
        { file, field: e.name, expected: `data to start at ${expectedBegin} (contiguous, non-overlapping)` },
      );
    }
    expectedBegin = e.end;
  }
  if (expectedBegin !== dataLength) {
    throw new DataFormatError(`tensors cover ${expectedBegin} of ${dataLength} data bytes`, { file, field: "data", expected: "tensors covering the whole data section" });
  }
  return { entries, metadata };
}

/** Tensors from the data section, each a fresh copy: aligned for typed views and independent of `data`. */
function tensorsFrom(entries: Entry[], data: Uint8Array, file: string): Map<string, NamedTensor> {
  const tensors = new Map<string, NamedTensor>();
  for (const e of entries) tensors.set(e.name, makeTensor(e, new Uint8Array(data.subarray(e.begin, e.end)), file));
  return tensors;
}

function parseMetadata(value: unknown, file: string): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new DataFormatError("__metadata__ is not an object", { file, field: METADATA_KEY, expected: "a map of strings to strings" });
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") throw new DataFormatError(`value is ${showValue(v)}`, { file, field: `${METADATA_KEY}.${k}`, expected: "a string" });
  }
  // fromEntries defines own properties, so a "__proto__" key stays data.
  return Object.fromEntries(Object.entries(value)) as Record<string, string>;
}

function parseEntry(name: string, value: unknown, dataLength: number, file: string): Entry {
  const at = { file, field: name };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new DataFormatError("tensor entry is not an object", { ...at, expected: "{dtype, shape, data_offsets}" });
  }
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (key !== "dtype" && key !== "shape" && key !== "data_offsets") throw new DataFormatError(`unexpected key '${key}'`, { ...at, expected: "only dtype, shape, data_offsets" });
  }
  if (!isDtype(v.dtype)) {
    throw new DataFormatError(`unsupported dtype ${showValue(v.dtype)}`, { ...at, expected: Object.keys(DTYPE_SIZE).join(", ") });
  }
  if (!Array.isArray(v.shape) || v.shape.length > 64) throw new DataFormatError("shape is not a list of at most 64 integers", at);
  const shape = v.shape as number[];
  const n = elementCount(shape, at);
  const offsets = v.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw new DataFormatError(`data_offsets is ${showValue(offsets)}`, { ...at, expected: "[begin, end], non-negative integers" });
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > dataLength) {
    throw new DataFormatError(`data_offsets [${begin}, ${end}] out of range`, { ...at, expected: `0 <= begin <= end <= ${dataLength}` });
  }
  const size = DTYPE_SIZE[v.dtype];
  if (n * size !== end - begin) {
    throw new DataFormatError(`holds ${end - begin} bytes, shape [${shape.join(", ")}] of ${v.dtype} needs ${n * size}`, at);
  }
  return { name, dtype: v.dtype, shape: [...shape], begin, end };
}

function makeTensor(e: Entry, raw: Uint8Array, file: string): NamedTensor {
  const shape = e.shape;
  switch (e.dtype) {
    case "F32":
      return { dtype: "F32", shape, data: new Float32Array(raw.buffer, 0, raw.length / 4) };
    case "F64":
      return { dtype: "F64", shape, data: new Float64Array(raw.buffer, 0, raw.length / 8) };
    case "I32":
      return { dtype: "I32", shape, data: new Int32Array(raw.buffer, 0, raw.length / 4) };
    case "I64":
      return { dtype: "I64", shape, data: new BigInt64Array(raw.buffer, 0, raw.length / 8) };
    case "U8":
      return { dtype: "U8", shape, data: raw };
    case "BOOL": {
      for (let i = 0; i < raw.length; i++) {
        if (raw[i] > 1) throw new DataFormatError(`bool value ${raw[i]} at index ${i}`, { file, field: e.name, expected: "0 or 1" });
      }
      return { dtype: "BOOL", shape, data: raw };
    }
  }
}

/**
 * Read a `.safetensors` file (see {@link decodeSafetensors}); a missing file is a {@link DataFormatError} too. The
 * header length and then the header are read and checked against the file size before the data is read, so a
 * hostile file (a huge or lying header length, offsets past the end) is refused without reading it into memory.
 *
 * @example
 * const { tensors } = await readSafetensors("runs/trm/checkpoint/model.safetensors");
 */
export async function readSafetensors(path: string): Promise<SafetensorsFile> {
  assertLittleEndianHost();
  const handle = await openForRead(path);
  try {
    const size = (await handle.stat()).size;
    const lo = headerLength(await readExactly(handle, 0, Math.min(8, size), path), size, path);
    const { entries, metadata } = parseHeader(await readExactly(handle, 8, lo, path), size - 8 - lo, path);
    const data = await readExactly(handle, 8 + lo, size - 8 - lo, path);
    return { tensors: tensorsFrom(entries, data, path), metadata };
  } catch (e) {
    throw readFailure(e, path);
  } finally {
    await handle.close();
  }
}

/**
 * Write tensors to a `.safetensors` file without concatenating them in memory.
 *
 * @example
 * await writeSafetensors("model.safetensors", tensors, { format: "pt" });
 */
export async function writeSafetensors(path: string, tensors: Map<string, NamedTensor>, metadata: Record<string, string> = {}): Promise<void> {
  assertLittleEndianHost();
  const { head, parts } = safetensorsParts(tensors, metadata, path);
  await writeParts(path, [head, ...parts]);
}
