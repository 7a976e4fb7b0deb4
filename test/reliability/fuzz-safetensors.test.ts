/**
 * safetensors under hostile input: random bytes, mutated valid files, and files assembled field by field with at
 * most one deliberate fault (bad dtype, bad shape, offsets that overlap, leave gaps, run backwards or past the
 * data, byte counts that disagree with the shape, a wrong or huge header length, non-UTF-8 headers, bad metadata,
 * bool bytes other than 0/1). The oracle is exact: a file with no fault decodes to the tensors it was built from,
 * a file with one is refused with a DataFormatError naming the file.
 */
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataFormatError, decodeSafetensors, encodeSafetensors, readSafetensors, SAFETENSORS_MAX_HEADER_BYTES, type NamedTensor, type SafetensorsFile } from "@recurse/core";
import { Ledger } from "./support/ledger";
import { applyByteEdits, byteEdits, sameBytes, seedOf } from "./support/mutate";

const ledger = new Ledger("safetensors");
const FILE = "fuzz/model.safetensors";
afterAll(() => ledger.print());

const SIZE: Record<string, number> = { F32: 4, F64: 8, I32: 4, I64: 8, U8: 1, BOOL: 1 };

interface Spec {
  name: string;
  dtype: string;
  shape: number[];
  seed: number;
}

const specArb: fc.Arbitrary<Spec> = fc.record({
  name: fc.oneof(fc.constantFrom("model.w", "lm_head.weight", "q_head.bias", "a", "__proto__", "constructor"), fc.string({ minLength: 1, maxLength: 8 })),
  dtype: fc.constantFrom("F32", "F64", "I32", "I64", "U8", "BOOL"),
  shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
  seed: fc.nat(),
});

/** The single fault a case injects (or none). */
type Fault =
  | { kind: "none" }
  | { kind: "dtype"; value: unknown }
  | { kind: "shape"; value: unknown }
  | { kind: "offsets"; how: "swap" | "negative" | "fraction" | "string" | "three" | "shift" | "beyond" | "overlap" }
  | { kind: "extraKey" }
  | { kind: "dataDelta"; delta: number }
  | { kind: "headerLength"; delta: number }
  | { kind: "hugeHeaderLength"; value: bigint }
  | { kind: "badUtf8" }
  | { kind: "notObject"; value: unknown }
  | { kind: "metadata"; value: unknown }
  | { kind: "boolByte" };

const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: "none" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("dtype" as const), value: fc.constantFrom<unknown>("F16", "BF16", "f32", "F8_E4M3", "", 1, null, ["F32"]) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("shape" as const),
      value: fc.constantFrom<unknown>([-1], [1.5], ["2"], [2 ** 53], [1e300], "3", null, { 0: 1 }, new Array(65).fill(1), [NaN]),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("offsets" as const), how: fc.constantFrom("swap", "negative", "fraction", "string", "three", "shift", "beyond", "overlap") }) },
  { weight: 1, arbitrary: fc.constant({ kind: "extraKey" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("dataDelta" as const), delta: fc.integer({ min: -9, max: 9 }).filter((d) => d !== 0) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("headerLength" as const), delta: fc.integer({ min: -16, max: 16 }).filter((d) => d !== 0) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("hugeHeaderLength" as const),
      value: fc.oneof(
        fc.bigInt({ min: BigInt(SAFETENSORS_MAX_HEADER_BYTES) + 1n, max: (1n << 32n) - 1n }),
        fc.bigInt({ min: 1n << 32n, max: (1n << 64n) - 1n }),
        fc.constantFrom(BigInt(SAFETENSORS_MAX_HEADER_BYTES), (1n << 64n) - 1n, 1n << 63n),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "badUtf8" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("notObject" as const), value: fc.constantFrom<unknown>([], [1], "x", 1, null, true) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("metadata" as const), value: fc.constantFrom<unknown>([], "pt", 1, null, { format: 1 }, { a: null }, { a: ["x"] }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "boolByte" as const }) },
);

function fillBytes(spec: Spec, n: number): Uint8Array {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = spec.dtype === "BOOL" ? (spec.seed + i) % 2 : (Math.imul(spec.seed + 1, i + 7) >>> 3) & 0xff;
  return bytes;
}

/** Assemble a file from specs and one fault; returns the bytes and whether the fault really applies. */
function assemble(specs: Spec[], fault: Fault): { bytes: Uint8Array; faulty: boolean; data: Map<string, Uint8Array> } {
  const unique = new Map<string, Spec>();
  for (const s of specs) if (s.name !== "__metadata__") unique.set(s.name, s);
  const list = [...unique.values()];
  const header: Record<string, unknown> = {};
  const data = new Map<string, Uint8Array>();
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const s of list) {
    const n = s.shape.reduce((a, b) => a * b, 1) * SIZE[s.dtype];
    const bytes = fillBytes(s, n);
    data.set(s.name, bytes);
    chunks.push(bytes);
    Object.defineProperty(header, s.name, { value: { dtype: s.dtype, shape: s.shape, data_offsets: [offset, offset + n] }, enumerable: true, writable: true, configurable: true });
    offset += n;
  }
  let faulty = false;
  const entries = list.map((s) => header[s.name] as { dtype: unknown; shape: unknown; data_offsets: unknown[]; extra?: number });
  const withBytes = list.findIndex((s) => data.get(s.name)!.length > 0);
  let headerValue: unknown = header;
  let dataDelta = 0;
  switch (fault.kind) {
    case "dtype":
    case "shape":
      if (entries.length > 0) {
        entries[0][fault.kind] = fault.value;
        faulty = true;
      }
      break;
    case "offsets": {
      if (withBytes < 0) break;
      const e = entries[withBytes];
      const [b, end] = e.data_offsets as [number, number];
      faulty = true;
      if (fault.how === "swap") e.data_offsets = [end, b];
      else if (fault.how === "negative") e.data_offsets = [-1, end];
      else if (fault.how === "fraction") e.data_offsets = [b + 0.5, end];
      else if (fault.how === "string") e.data_offsets = [String(b), end];
      else if (fault.how === "three") e.data_offsets = [b, end, end];
      else if (fault.how === "shift") e.data_offsets = [b + 1, end + 1];
      else if (fault.how === "beyond") e.data_offsets = [b, offset + 1];
      else if (fault.how === "overlap") {
        // A second tensor covering the same bytes.
        Object.defineProperty(header, "overlap.copy", { value: { ...e, data_offsets: [b, end] }, enumerable: true, writable: true, configurable: true });
      }
      break;
    }
    case "extraKey":
      if (entries.length > 0) {
        entries[0].extra = 1;
        faulty = true;
      }
      break;
    case "dataDelta":
      dataDelta = fault.delta;
      faulty = Math.max(0, offset + dataDelta) !== offset;
      break;
    case "notObject":
      headerValue = fault.value;
      faulty = true;
      break;
    case "metadata":
      Object.defineProperty(header, "__metadata__", { value: fault.value, enumerable: true, writable: true, configurable: true });
      faulty = true;
      break;
    case "boolByte": {
      const i = list.findIndex((s) => s.dtype === "BOOL" && data.get(s.name)!.length > 0);
      if (i >= 0) {
        data.get(list[i].name)![0] = 2 + (list[i].seed % 254);
        faulty = true;
      }
      break;
    }
  }
  if (fault.kind === "none" || !faulty) {
    if (list.length % 3 === 0) Object.defineProperty(header, "__metadata__", { value: { format: "pt" }, enumerable: true, writable: true, configurable: true });
  }
  let json = new TextEncoder().encode(JSON.stringify(headerValue));
  if (fault.kind === "badUtf8") {
    // A lone continuation byte inside the JSON text (a string-valued key would still parse if it were valid).
    json = new Uint8Array([...json.subarray(0, 1), 0x80, ...json.subarray(1)]);
    faulty = true;
  }
  const pad = (8 - ((8 + json.length) % 8)) % 8;
  const headerBytes = new Uint8Array(json.length + pad).fill(0x20);
  headerBytes.set(json, 0);
  let dataLength = offset + dataDelta;
  if (dataLength < 0) dataLength = 0;
  const out = new Uint8Array(8 + headerBytes.length + dataLength);
  let length = BigInt(headerBytes.length);
  if (fault.kind === "headerLength") {
    length = BigInt(Math.max(0, headerBytes.length + fault.delta));
    faulty = true;
  }
  if (fault.kind === "hugeHeaderLength") {
    length = fault.value;
    faulty = length > BigInt(SAFETENSORS_MAX_HEADER_BYTES) || length > BigInt(out.length - 8);
  }
  new DataView(out.buffer).setBigUint64(0, length, true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const c of chunks) {
    const n = Math.min(c.length, out.length - at);
    out.set(c.subarray(0, n), at);
    at += n;
  }
  return { bytes: out, faulty, data };
}

function checkDecoded(file: SafetensorsFile): void {
  for (const [name, t] of file.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    expect(t.data.length, name).toBe(n);
    if (t.dtype === "BOOL") expect((t.data as Uint8Array).every((v) => v <= 1)).toBe(true);
  }
}

const rawBytes = (t: NamedTensor) => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);

describe("decodeSafetensors fuzzing", () => {
  it("random bytes (and random bytes after a plausible header length) are refused, located", () => {
    fc.assert(
      fc.property(fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 400 })), fc.uint8Array({ maxLength: 400 }), (len, rest) => {
        const bytes = new Uint8Array(8 + rest.length);
        if (len !== null) new DataView(bytes.buffer).setBigUint64(0, BigInt(len), true);
        bytes.set(rest, 8);
        const input = len === null ? rest : bytes;
        const file = ledger.run("decodeSafetensors: random bytes", { names: FILE }, () => decodeSafetensors(input, FILE));
        if (file) checkDecoded(file);
      }),
      { seed: seedOf("safetensors random"), numRuns: 4000 },
    );
  });

  it("files assembled with at most one fault: fault-free files decode to exactly their tensors, faulty ones are refused", () => {
    fc.assert(
      fc.property(fc.array(specArb, { maxLength: 5 }), faultArb, (specs, fault) => {
        const { bytes, faulty, data } = assemble(specs, fault);
        const file = ledger.run("decodeSafetensors: assembled, one fault", { names: FILE, fault: faulty, mustReject: faulty }, () => decodeSafetensors(bytes, FILE));
        if (!faulty) {
          expect(file, JSON.stringify(fault)).toBeDefined();
          expect([...file!.tensors.keys()].sort()).toEqual([...data.keys()].sort());
          for (const [name, t] of file!.tensors) expect(Buffer.from(rawBytes(t)).equals(Buffer.from(data.get(name)!)), name).toBe(true);
        }
        if (file) checkDecoded(file);
      }),
      { seed: seedOf("safetensors assembled"), numRuns: 5000 },
    );
    const c = ledger.counts("decodeSafetensors: assembled, one fault");
    expect(c.accepted).toBeGreaterThan(1000);
    expect(c.rejected).toBeGreaterThan(1000);
  });

  it("mutated valid files decode consistently or are refused, located", () => {
    fc.assert(
      fc.property(fc.array(specArb, { minLength: 1, maxLength: 4 }), byteEdits(4), (specs, edits) => {
        const valid = assemble(specs, { kind: "none" }).bytes;
        const bytes = applyByteEdits(valid, edits);
        const file = ledger.run("decodeSafetensors: mutated valid file", { names: FILE, fault: !sameBytes(valid, bytes) }, () => decodeSafetensors(bytes, FILE));
        if (file) checkDecoded(file);
      }),
      { seed: seedOf("safetensors mutated"), numRuns: 4000 },
    );
  });

  it("tensors round-trip through encode and decode", () => {
    fc.assert(
      fc.property(fc.array(specArb, { maxLength: 5 }), (specs) => {
        const tensors = new Map<string, NamedTensor>();
        for (const s of specs) {
          if (s.name === "__metadata__") continue;
          const n = s.shape.reduce((a, b) => a * b, 1);
          const raw = fillBytes(s, n * SIZE[s.dtype]).buffer;
          const data = { F32: Float32Array, F64: Float64Array, I32: Int32Array, I64: BigInt64Array, U8: Uint8Array, BOOL: Uint8Array }[s.dtype as "F32"];
          tensors.set(s.name, { dtype: s.dtype, shape: s.shape, data: new data(raw) } as NamedTensor);
        }
        const back = ledger.run("decodeSafetensors: round trip", {}, () => decodeSafetensors(encodeSafetensors(tensors, { format: "pt" }, FILE), FILE))!;
        expect(back.metadata).toEqual({ format: "pt" });
        for (const [name, t] of tensors) {
          const got = back.tensors.get(name)!;
          expect(got.shape).toEqual(t.shape);
          expect(Buffer.from(rawBytes(got)).equals(Buffer.from(rawBytes(t)))).toBe(true);
        }
      }),
      { seed: seedOf("safetensors round trip"), numRuns: 1000 },
    );
  });

  it("a tensor named __proto__ is written into the header, not dropped (regression: the writer lost it)", () => {
    const tensors = new Map<string, NamedTensor>([
      ["__proto__", { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) }],
      ["w", { dtype: "I32", shape: [1], data: new Int32Array([7]) }],
    ]);
    const back = decodeSafetensors(encodeSafetensors(tensors, {}, FILE), FILE);
    expect([...back.tensors.keys()]).toEqual(["__proto__", "w"]);
    expect(Array.from(back.tensors.get("__proto__")!.data as Float32Array)).toEqual([1, 2]);
  });

  it("deeply nested or huge header values are refused naming the tensor or metadata key, with a short message", () => {
    const deep = "[".repeat(40_000) + "]".repeat(40_000);
    const long = JSON.stringify("x".repeat(1_000_000));
    const headers = [
      [`{"__metadata__": {"format": ${deep}}}`, "__metadata__.format"],
      [`{"w": {"dtype": ${deep}, "shape": [], "data_offsets": [0, 0]}}`, "w"],
      [`{"w": {"dtype": "F32", "shape": [], "data_offsets": ${deep}}}`, "w"],
      [`{"w": {"dtype": ${long}, "shape": [], "data_offsets": [0, 0]}}`, "w"],
      [`{"w": {"dtype": "F32", "shape": [], "data_offsets": [${"1,".repeat(500_000)}1]}}`, "w"],
    ] as const;
    for (const [json, field] of headers) {
      const text = new TextEncoder().encode(json);
      const bytes = new Uint8Array(8 + text.length);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(text.length), true);
      bytes.set(text, 8);
      let error: unknown;
      ledger.run("decodeSafetensors: deep or huge header values", { names: FILE, fault: true, mustReject: true, errorClass: DataFormatError }, () => {
        try {
          return decodeSafetensors(bytes, FILE);
        } catch (e) {
          error = e;
          throw e;
        }
      });
      expect((error as DataFormatError).location.field).toBe(field);
      expect((error as Error).message.length).toBeLessThan(1000);
    }
  });

  it("readSafetensors names the file for missing, empty and directory paths", async () => {
    const dir = await mkdtemp(join(tmpdir(), "recurse-fuzz-st-"));
    try {
      await writeFile(join(dir, "empty.safetensors"), new Uint8Array(0));
      for (const path of [join(dir, "missing.safetensors"), join(dir, "empty.safetensors"), dir]) {
        await ledger.runAsync("readSafetensors: unreadable file", { names: path, fault: true, mustReject: true, errorClass: DataFormatError }, () => readSafetensors(path));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
