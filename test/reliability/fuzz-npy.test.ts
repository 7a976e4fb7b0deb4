/**
 * `.npy` under hostile input: random bytes, mutated valid files, and headers assembled from a grammar of valid and
 * invalid fields. Every case either decodes to an array whose data agrees with its shape, or throws a
 * DataFormatError naming the file. The streaming NpyReader gets the same treatment through real files.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataFormatError, decodeNpy, encodeNpy, NpyReader, readNpy, type NpyArray } from "@recurse/core";
import { Ledger } from "./support/ledger";
import { applyByteEdits, byteEdits, sameBytes, seedOf } from "./support/mutate";

const ledger = new Ledger("npy");
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recurse-fuzz-npy-"));
});
afterAll(async () => {
  ledger.print();
  await rm(dir, { recursive: true, force: true });
});

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const FILE = "fuzz/all__inputs.npy";

/** A decoded array must be self-consistent: as many elements as its shape says, of its dtype. */
function checkDecoded(arr: NpyArray): void {
  const n = arr.shape.reduce((a, b) => a * b, 1);
  expect(arr.data.length).toBe(n);
  if (arr.dtype === "bool") expect(arr.data.every((v) => v === 0 || v === 1)).toBe(true);
}

/** Valid arrays of every dtype we write, as seeds for mutation. */
const validArray = fc
  .record({
    dtype: fc.constantFrom("int32", "uint8", "float32", "bool") as fc.Arbitrary<"int32" | "uint8" | "float32" | "bool">,
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 3 }),
    seed: fc.integer(),
  })
  .map(({ dtype, shape, seed }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = Array.from({ length: n }, (_, i) => {
      const v = Math.abs(Math.imul(seed, i + 1)) ;
      return dtype === "bool" ? v % 2 : dtype === "uint8" ? v % 256 : dtype === "int32" ? (v % 2000) - 1000 : (v % 1000) / 7;
    });
    return { dtype, shape, data };
  });

/** Mostly a valid value, sometimes one of the invalid ones: about a quarter of the headers come out valid. */
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: invalid });

/** The header text of a `.npy` file, from a grammar of valid and invalid fields. */
const headerField = {
  descr: mostly(
    fc.constantFrom("<i4", "|u1", "<f4", "<i8", "|b1"),
    fc.oneof(fc.constantFrom("|i1", "<i2", ">i4", ">f8", "<f8", "<u4", "<c8", "O", "<U3", "V8", "", "<i4 ", "<i9999999999"), fc.string({ maxLength: 6 })),
  ),
  fortran: mostly(fc.constant("False"), fc.constantFrom("True", "0", "1", "'False'", "None")),
  shape: mostly(
    fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }).map((s) => (s.length === 1 ? `(${s[0]},)` : `(${s.join(", ")})`)),
    fc.constantFrom("(3)", "(-1,)", "(2, -3)", "(1.5,)", "('a',)", "[2, 3]", "(99999999999999999,)", "(9007199254740993,)", "(4294967296, 4294967296)", "(,)", "(2,,3)", "((2,),)"),
  ),
  extraKey: mostly(fc.constant(""), fc.constantFrom("'extra': 1, ", "'descr': '<i4', ", "3: 4, ", "'x': (1,), ")),
  tail: mostly(fc.constantFrom("}", ", }"), fc.constantFrom("", "}}", "} x", ", , }")),
};

function header(version: number, text: string, lengthDelta: number): Uint8Array {
  const body = new TextEncoder().encode(text);
  const prefix = version === 1 ? 10 : 12;
  const len = Math.max(0, body.length + lengthDelta);
  const out = new Uint8Array(prefix + body.length);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, Math.min(len, 0xffff), true);
  else view.setUint32(8, len, true);
  out.set(body, prefix);
  return out;
}

describe("decodeNpy fuzzing", () => {
  it("random bytes, with and without a valid magic and version, are rejected with a located DataFormatError", () => {
    const prefixes = [[], MAGIC, [...MAGIC, 1, 0], [...MAGIC, 2, 0], [...MAGIC, 3, 0], [...MAGIC, 1, 0, 0xff, 0xff], [...MAGIC, 2, 0, 0xff, 0xff, 0xff, 0xff]];
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 300 }), (prefix, rest) => {
        const bytes = new Uint8Array([...prefix, ...rest]);
        const arr = ledger.run("decodeNpy: random bytes", { names: FILE }, () => decodeNpy(bytes, FILE));
        if (arr) checkDecoded(arr);
      }),
      { seed: seedOf("npy random"), numRuns: 4000 },
    );
    expect(ledger.counts("decodeNpy: random bytes").rejected).toBeGreaterThan(3900);
  });

  it("mutated valid files decode consistently or fail located; edits inside the header's magic/version always fail", () => {
    fc.assert(
      fc.property(validArray, fc.constantFrom(1, 2, 3), byteEdits(4), (array, version, edits) => {
        let valid = encodeNpy(array, FILE);
        if (version !== 1) {
          // Re-wrap the same header text as version 2.0 / 3.0 (4-byte length field).
          const hlen = valid[8] | (valid[9] << 8);
          valid = new Uint8Array([...header(version, new TextDecoder("latin1").decode(valid.subarray(10, 10 + hlen)), 0), ...valid.subarray(10 + hlen)]);
        }
        const bytes = applyByteEdits(valid, edits);
        const magicBroken = bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b) || bytes[7] !== 0 || bytes[6] < 1 || bytes[6] > 3;
        const arr = ledger.run("decodeNpy: mutated valid file", { names: FILE, fault: !sameBytes(valid, bytes), mustReject: magicBroken }, () => decodeNpy(bytes, FILE));
        if (arr) checkDecoded(arr);
      }),
      { seed: seedOf("npy mutated"), numRuns: 4000 },
    );
  });

  it("headers built from valid and invalid fields: accepted exactly when every field is valid and the data fits", () => {
    fc.assert(
      fc.property(
        fc.record({
          version: fc.constantFrom(1, 2, 3),
          descr: headerField.descr,
          fortran: headerField.fortran,
          shape: headerField.shape,
          extra: headerField.extraKey,
          tail: headerField.tail,
          lengthDelta: mostly(fc.constant(0), fc.integer({ min: -20, max: 20 })),
          dataDelta: mostly(fc.constant(0), fc.integer({ min: -9, max: 9 })),
        }),
        (h) => {
          const text = `{${h.extra}'descr': '${h.descr}', 'fortran_order': ${h.fortran}, 'shape': ${h.shape}${h.tail}`;
          const head = header(h.version, text, h.lengthDelta);
          // Data for the shape if it parses as a plain tuple of small integers, sized by the descr's item size.
          const dims = /^\((\d+(, \d+)*)?,?\)$/.test(h.shape) ? (h.shape.match(/\d+/g) ?? []).map(Number) : [1];
          const item = Number(/\d+$/.exec(h.descr)?.[0] ?? 1);
          const count = dims.reduce((a, b) => a * b, 1) * (Number.isFinite(item) && item < 64 ? item : 1);
          const dataLength = Math.max(0, Math.min(count, 4096) + h.dataDelta);
          const bytes = new Uint8Array(head.length + dataLength);
          bytes.set(head, 0);
          const valid =
            ["<i4", "|u1", "<f4", "<i8", "|b1"].includes(h.descr) &&
            h.fortran === "False" &&
            h.extra === "" &&
            (h.tail === "}" || h.tail === ", }") &&
            h.lengthDelta === 0 &&
            dataLength === count &&
            /^\((\d+, )*\d*,?\)$/.test(h.shape) &&
            !/^\(\d+\)$/.test(h.shape) &&
            h.shape !== "(,)" &&
            (h.shape.match(/\d+/g) ?? []).every((d) => Number(d) <= 5);
          const arr = ledger.run("decodeNpy: header grammar", { names: FILE, fault: !valid, mustReject: !valid && h.descr !== "<i4 " && h.lengthDelta >= 0 }, () =>
            decodeNpy(bytes, FILE),
          );
          if (valid) expect(arr, text).toBeDefined();
          if (arr) checkDecoded(arr);
        },
      ),
      { seed: seedOf("npy header grammar"), numRuns: 4000 },
    );
    const c = ledger.counts("decodeNpy: header grammar");
    expect(c.accepted).toBeGreaterThan(500);
  });

  it("the field a header error names is the field that is wrong", () => {
    const cases: [string, string][] = [
      ["{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", "descr"],
      ["{'descr': '<i4', 'fortran_order': True, 'shape': (2,), }", "fortran_order"],
      ["{'descr': '<i4', 'fortran_order': False, 'shape': [2], }", "header"],
      ["{'descr': '<i4', 'fortran_order': False, 'shape': (2,), 'x': 1, }", "x"],
      ["{'descr': '<i4', 'fortran_order': False, }", "shape"],
      ["{'descr': '<i4', 'fortran_order': False, 'shape': (99999999999999999,), }", "header"],
      ["{'descr': '<i4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", "shape"],
    ];
    for (const [text, field] of cases) {
      const bytes = new Uint8Array([...header(1, text, 0), 1, 2, 3, 4, 5, 6, 7, 8]);
      let err: unknown;
      ledger.run("decodeNpy: named header faults", { names: FILE, fault: true, mustReject: true }, () => {
        try {
          return decodeNpy(bytes, FILE);
        } catch (e) {
          err = e;
          throw e;
        }
      });
      expect(err).toBeInstanceOf(DataFormatError);
      expect((err as DataFormatError).location.field, text).toBe(field);
    }
  });

  it("valid arrays of every dtype round-trip exactly", () => {
    fc.assert(
      fc.property(validArray, (array) => {
        const arr = ledger.run("decodeNpy: round trip", {}, () => decodeNpy(encodeNpy(array, FILE), FILE))!;
        expect(arr.shape).toEqual(array.shape);
        expect(Array.from(arr.data)).toEqual(array.dtype === "float32" ? Array.from(Float32Array.from(array.data)) : array.data);
      }),
      { seed: seedOf("npy round trip"), numRuns: 1000 },
    );
  });
});

describe("npy files on disk", () => {
  it("readNpy and NpyReader agree on mutated files: both accept with the same rows or both refuse, located", async () => {
    let i = 0;
    await fc.assert(
      fc.asyncProperty(validArray, byteEdits(3), fc.nat(), fc.nat(), async (array, edits, start, count) => {
        const file = join(dir, `m${i++ % 8}.npy`);
        const valid = encodeNpy(array, file);
        const bytes = applyByteEdits(valid, edits);
        await writeFile(file, bytes);
        const fault = !sameBytes(valid, bytes);
        const whole = await ledger.runAsync("readNpy: mutated file", { names: file, fault }, () => readNpy(file));
        const reader = await ledger.runAsync("NpyReader.open: mutated file", { names: file, fault }, () => NpyReader.open(file));
        expect(reader === undefined, "readNpy and NpyReader disagree on whether the file is valid").toBe(whole === undefined);
        if (!reader || !whole) return;
        try {
          const from = start % (reader.rows + 1);
          const n = count % (reader.rows - from + 2); // sometimes one row past the end
          const rows = await ledger.runAsync("NpyReader.readRows", { names: file, mustReject: from + n > reader.rows }, () => reader.readRows(from, n));
          if (rows) expect(Array.from(rows)).toEqual(Array.from(whole.data.subarray(from * reader.rowSize, (from + n) * reader.rowSize)));
        } finally {
          await reader.close();
        }
      }),
      { seed: seedOf("npy files"), numRuns: 250 },
    );
  });

  it("NpyReader.readRows returns exactly the rows readNpy holds, and refuses ranges outside the file", async () => {
    let i = 0;
    await fc.assert(
      fc.asyncProperty(validArray, fc.integer({ min: -2, max: 6 }), fc.integer({ min: -2, max: 6 }), async (array, from, n) => {
        const file = join(dir, `v${i++ % 8}.npy`);
        await writeFile(file, encodeNpy(array, file));
        const whole = await readNpy(file);
        const reader = await NpyReader.open(file);
        try {
          const outside = from < 0 || n < 0 || from + n > reader.rows;
          const rows = await ledger.runAsync("NpyReader.readRows", { names: file, fault: outside, mustReject: outside }, () => reader.readRows(from, n));
          if (rows) expect(Array.from(rows)).toEqual(Array.from(whole.data.subarray(from * reader.rowSize, (from + n) * reader.rowSize)));
        } finally {
          await reader.close();
        }
      }),
      { seed: seedOf("npy rows"), numRuns: 250 },
    );
  });

  it("a missing file, a directory and an empty file are located DataFormatErrors", async () => {
    await writeFile(join(dir, "empty.npy"), new Uint8Array(0));
    for (const path of [join(dir, "missing.npy"), dir, join(dir, "empty.npy")]) {
      await ledger.runAsync("readNpy: unreadable file", { names: path, fault: true, mustReject: true, errorClass: DataFormatError }, () => readNpy(path));
      await ledger.runAsync("NpyReader.open: unreadable file", { names: path, fault: true, mustReject: true, errorClass: DataFormatError }, () => NpyReader.open(path));
    }
  });
});
