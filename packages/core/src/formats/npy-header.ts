import { DataFormatError } from "../errors";

/**
 * The `.npy` header: magic, version, header length, then a Python dict literal
 * `{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }` padded with spaces and a newline.
 * Spec: numpy/lib/format.py (NEP 1). We parse the literal with a small strict tokenizer, never `eval`.
 */

/** Element types this project reads from `.npy` files. */
export type NpyDtype = "int32" | "uint8" | "float32" | "int64" | "bool";

/** A parsed `.npy` header. */
export interface NpyHeader {
  /** Format version, e.g. `[1, 0]`. */
  version: [number, number];
  dtype: NpyDtype;
  /** The `descr` string as stored, e.g. `<i4`. */
  descr: string;
  shape: number[];
  /** Byte offset of the array data (magic + length field + header). */
  dataOffset: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** numpy aligns the data start to 64 bytes. */
const ARRAY_ALIGN = 64;
/** numpy reserves room for this many digits of the growth axis so a header can be patched in place. */
const GROWTH_AXIS_MAX_DIGITS = 21;
/** Refuse headers larger than this (numpy's own default limit is 10000). */
const MAX_HEADER_BYTES = 1 << 20;
/** Bytes a file reader reads first to find the header; numpy headers are 128 bytes for any shape we write. */
export const NPY_FIRST_READ = 4096;
/** The most a file reader reads to find a header: numpy's v1 limit of 65535 + prefix, our 1 MiB for v2/v3. */
export const NPY_MAX_HEADER_READ = MAX_HEADER_BYTES + 12;
/** numpy's maximum number of dimensions. */
const MAX_NDIM = 64;

const ITEM_SIZE: Record<NpyDtype, number> = { int32: 4, uint8: 1, float32: 4, int64: 8, bool: 1 };

/** Bytes per element of a dtype. */
export function npyItemSize(dtype: NpyDtype): number {
  return ITEM_SIZE[dtype];
}

/** The `descr` numpy writes for a dtype (little-endian). */
export function npyDescr(dtype: NpyDtype): string {
  switch (dtype) {
    case "int32":
      return "<i4";
    case "uint8":
      return "|u1";
    case "float32":
      return "<f4";
    case "int64":
      return "<i8";
    case "bool":
      return "|b1";
  }
}

function dtypeOfDescr(descr: string, file: string): NpyDtype {
  const m = /^([<>|=]?)([iufb])(\d+)$/.exec(descr);
  const fail = (why: string) =>
    new DataFormatError(`unsupported dtype '${descr}': ${why}`, {
      file,
      field: "descr",
      expected: "one of '<i4', '|u1', '<f4', '<i8', '|b1' (little-endian int32, uint8, float32, int64, bool)",
    });
  if (!m) throw fail("not a simple numeric type");
  const [, order, kind, sizeText] = m;
  const size = Number(sizeText);
  let dtype: NpyDtype | undefined;
  if (kind === "i" && size === 4) dtype = "int32";
  else if (kind === "i" && size === 8) dtype = "int64";
  else if (kind === "u" && size === 1) dtype = "uint8";
  else if (kind === "f" && size === 4) dtype = "float32";
  else if (kind === "b" && size === 1) dtype = "bool";
  if (!dtype) throw fail("this type is not read by Recurse");
  if (order === ">" && size > 1) throw fail("big-endian data is not supported");
  return dtype;
}

type Token =
  | { kind: "punct"; value: "{" | "}" | "(" | ")" | "," | ":" }
  | { kind: "string"; value: string }
  | { kind: "int"; value: number }
  | { kind: "bool"; value: boolean };

function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const bad = (what: string) => new DataFormatError(`malformed header: ${what} at character ${i}`, { file, field: "header", expected: "a Python dict literal" });
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (c === "{" || c === "}" || c === "(" || c === ")" || c === "," || c === ":") {
      tokens.push({ kind: "punct", value: c });
      i++;
    } else if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw bad("unterminated string");
      const value = text.slice(i + 1, end);
      if (value.includes("\\")) throw bad("escape sequences are not supported in strings");
      tokens.push({ kind: "string", value });
      i = end + 1;
    } else if (c >= "0" && c <= "9") {
      let j = i;
      while (j < text.length && text[j] >= "0" && text[j] <= "9") j++;
      const digits = text.slice(i, j);
      // Python 2 numpy wrote long integers as `3L`.
      if (text[j] === "L") j++;
      if (digits.length > 16) throw bad(`integer ${digits} too large`);
      const value = Number(digits);
      if (!Number.isSafeInteger(value)) throw bad(`integer ${digits} too large`);
      tokens.push({ kind: "int", value });
      i = j;
    } else if (text.startsWith("True", i)) {
      tokens.push({ kind: "bool", value: true });
      i += 4;
    } else if (text.startsWith("False", i)) {
      tokens.push({ kind: "bool", value: false });
      i += 5;
    } else {
      throw bad(`unexpected character ${JSON.stringify(c)}`);
    }
  }
  return tokens;
}

type Value = string | number | boolean | number[];

/** Parse the header dict literal into its three fields. */
function parseDict(text: string, file: string): Map<string, Value> {
  const tokens = tokenize(text, file);
  let p = 0;
  const bad = (what: string) =>
    new DataFormatError(`malformed header: ${what}`, { file, field: "header", expected: "{'descr': ..., 'fortran_order': ..., 'shape': (...), }" });
  const peek = () => tokens[p];
  const isPunct = (t: Token | undefined, v: string) => t !== undefined && t.kind === "punct" && t.value === v;
  const expectPunct = (v: string) => {
    if (!isPunct(tokens[p], v)) throw bad(`expected '${v}'`);
    p++;
  };
  const parseValue = (): Value => {
    const t = peek();
    if (t === undefined) throw bad("unexpected end");
    if (t.kind === "string" || t.kind === "int" || t.kind === "bool") {
      p++;
      return t.value;
    }
    if (isPunct(t, "(")) {
      p++;
      const items: number[] = [];
      while (!isPunct(peek(), ")")) {
        const it = peek();
        if (it === undefined || it.kind !== "int") throw bad("shape entries must be non-negative integers");
        items.push(it.value);
        p++;
        if (items.length > MAX_NDIM) throw bad(`more than ${MAX_NDIM} dimensions`);
        if (isPunct(peek(), ",")) p++;
        else if (!isPunct(peek(), ")")) throw bad("expected ',' or ')' in shape");
      }
      p++;
      // A one-element tuple needs its trailing comma in Python: `(3)` is the integer 3.
      if (items.length === 1 && !isPunct(tokens[p - 2], ",")) throw bad("a one-element shape must be written (n,)");
      return items;
    }
    throw bad("unexpected token");
  };

  const dict = new Map<string, Value>();
  expectPunct("{");
  while (!isPunct(peek(), "}")) {
    const key = peek();
    if (key === undefined || key.kind !== "string") throw bad("dict keys must be strings");
    p++;
    expectPunct(":");
    if (dict.has(key.value)) throw bad(`duplicate key '${key.value}'`);
    dict.set(key.value, parseValue());
    if (isPunct(peek(), ",")) p++;
    else if (!isPunct(peek(), "}")) throw bad("expected ',' or '}'");
  }
  p++;
  if (p !== tokens.length) throw bad("trailing characters after the dict");
  return dict;
}

/**
 * Parse and validate the header of a `.npy` file held in `bytes` (at least the header; data may follow).
 * `file` names the source in error messages.
 *
 * @example
 * const header = parseNpyHeader(await readFile("all__inputs.npy"), "all__inputs.npy");
 * header.shape; // [1000, 81]
 */
export function parseNpyHeader(bytes: Uint8Array, file = "<bytes>"): NpyHeader {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new DataFormatError("not a .npy file (bad magic)", { file, field: "magic", expected: "\\x93NUMPY" });
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (minor !== 0 || major < 1 || major > 3) {
    throw new DataFormatError(`unsupported .npy version ${major}.${minor}`, { file, field: "version", expected: "1.0, 2.0 or 3.0" });
  }
  let headerLength: number;
  let start: number;
  if (major === 1) {
    headerLength = bytes[8] | (bytes[9] << 8);
    start = 10;
  } else {
    if (bytes.length < 12) throw new DataFormatError("truncated header length", { file, field: "header_len" });
    headerLength = (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 0x1000000;
    start = 12;
  }
  if (headerLength > MAX_HEADER_BYTES) {
    throw new DataFormatError(`header of ${headerLength} bytes is implausibly large`, { file, field: "header_len", expected: `at most ${MAX_HEADER_BYTES}` });
  }
  if (start + headerLength > bytes.length) {
    throw new DataFormatError(`truncated header (${headerLength} bytes announced, ${bytes.length - start} present)`, { file, field: "header" });
  }
  let text: string;
  try {
    text = new TextDecoder(major === 3 ? "utf-8" : "latin1", { fatal: true }).decode(bytes.subarray(start, start + headerLength));
  } catch (cause) {
    throw new DataFormatError("header is not valid text", { file, field: "header" }, { cause });
  }
  const dict = parseDict(text, file);
  for (const key of dict.keys()) {
    if (key !== "descr" && key !== "fortran_order" && key !== "shape") {
      throw new DataFormatError(`unexpected header key '${key}'`, { file, field: key, expected: "only descr, fortran_order and shape" });
    }
  }
  const descr = dict.get("descr");
  if (typeof descr !== "string") {
    throw new DataFormatError("missing or non-string descr", { file, field: "descr", expected: "a dtype string such as '<i4'" });
  }
  const fortran = dict.get("fortran_order");
  if (typeof fortran !== "boolean") {
    throw new DataFormatError("missing or non-boolean fortran_order", { file, field: "fortran_order", expected: "True or False" });
  }
  if (fortran) {
    throw new DataFormatError("Fortran-ordered arrays are not supported", {
      file,
      field: "fortran_order",
      expected: "False (save with np.ascontiguousarray first)",
    });
  }
  const shape = dict.get("shape");
  if (!Array.isArray(shape)) {
    throw new DataFormatError("missing or non-tuple shape", { file, field: "shape", expected: "a tuple of integers" });
  }
  return { version: [major, minor], dtype: dtypeOfDescr(descr, file), descr, shape, dataOffset: start + headerLength };
}

function pythonTuple(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(", ")})`;
}

/**
 * Encode a header exactly as `np.save` does (numpy >= 1.24): keys sorted, spare room for 21 digits of the first
 * axis, padded with spaces so the data starts at a multiple of 64, newline-terminated. Version 1.0 unless the header
 * exceeds 65535 bytes, then 2.0. Because of the spare room, a header for `[n, ...inner]` has the same length for
 * every `n`, which lets a streaming writer patch the row count in place.
 */
export function encodeNpyHeader(dtype: NpyDtype, shape: readonly number[]): Uint8Array {
  let dict = `{'descr': '${npyDescr(dtype)}', 'fortran_order': False, 'shape': ${pythonTuple(shape)}, }`;
  if (shape.length > 0) dict += " ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  // numpy: padlen = 64 - ((prefix + len + 1) % 64), i.e. 1..64 spaces, the newline counted in len + 1.
  const padded = (prefix: number) => dict.length + 1 + (ARRAY_ALIGN - ((prefix + dict.length + 1) % ARRAY_ALIGN));
  let major = 1;
  let prefix = 10;
  let hlen = padded(prefix);
  if (hlen > 0xffff) {
    major = 2;
    prefix = 12;
    hlen = padded(prefix);
  }
  const text = dict + " ".repeat(hlen - 1 - dict.length) + "\n";
  const out = new Uint8Array(prefix + hlen);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, hlen, true);
  else view.setUint32(8, hlen, true);
  for (let i = 0; i < text.length; i++) out[prefix + i] = text.charCodeAt(i);
  return out;
}
