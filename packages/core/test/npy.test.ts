import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataFormatError, NpyReader, NpyWriter, decodeNpy, encodeNpy, parseNpyHeader, readNpy, writeNpy } from "@recurse/core";
import { expectThrown } from "../../../test-support/expect-thrown";

/** Hand-assembled `.npy` v1.0: magic, version, uint16 LE header length, dict literal padded to 64-byte alignment. */
function npyV1(dict: string, data: number[] = [], { totalHeader = 128 } = {}): Uint8Array {
  const hlen = totalHeader - 10;
  const text = dict + " ".repeat(hlen - 1 - dict.length) + "\n";
  return new Uint8Array([0x93, ...Buffer.from("NUMPY"), 1, 0, hlen & 0xff, hlen >> 8, ...Buffer.from(text, "latin1"), ...data]);
}

const le32 = (...values: number[]) => [...new Uint8Array(new Int32Array(values).buffer)];
const hex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));

// The 2x3 int32 array [[0,1,2],[3,4,5]] as np.save writes it (numpy 2.4.6; identical since numpy 1.24).
const INT32_2x3 = npyV1("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }", le32(0, 1, 2, 3, 4, 5));

const expectFormatError = (fn: () => unknown, ...parts: (string | RegExp)[]): DataFormatError => expectThrown(fn, DataFormatError, ...parts);

describe("npy encode", () => {
  it("writes the exact bytes of np.save for a 2x3 int32 array", () => {
    const bytes = encodeNpy({ dtype: "int32", shape: [2, 3], data: new Int32Array([0, 1, 2, 3, 4, 5]) });
    expect(bytes.length).toBe(128 + 24);
    expect(Buffer.from(bytes).equals(Buffer.from(INT32_2x3))).toBe(true);
  });

  it("matches np.save for uint8, float32 and 1-d and empty shapes", () => {
    // np.save(np.array([1, 2, 255], dtype=np.uint8))
    const u8 = npyV1("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", [1, 2, 255]);
    expect(Buffer.from(encodeNpy({ dtype: "uint8", shape: [3], data: [1, 2, 255] })).equals(Buffer.from(u8))).toBe(true);
    // np.save(np.zeros((0, 4), np.float32))
    const empty = npyV1("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4), }");
    expect(Buffer.from(encodeNpy({ dtype: "float32", shape: [0, 4], data: [] })).equals(Buffer.from(empty))).toBe(true);
    // A scalar: shape () gets no growth-axis padding, still a 128-byte header.
    const scalar = encodeNpy({ dtype: "float32", shape: [], data: [1.5] });
    expect(new TextDecoder().decode(scalar.subarray(10, 128))).toBe("{'descr': '<f4', 'fortran_order': False, 'shape': (), }" + " ".repeat(62) + "\n");
    expect(Array.from(new Float32Array(scalar.slice(128).buffer))).toEqual([1.5]);
  });

  it("aligns the data start to 64 bytes for long shapes", () => {
    const shape = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    const bytes = encodeNpy({ dtype: "int32", shape, data: [7] });
    const header = parseNpyHeader(bytes);
    expect(header.dataOffset % 64).toBe(0);
    expect(header.shape).toEqual(shape);
    expect(Array.from(decodeNpy(bytes).data)).toEqual([7]);
  });

  it("rejects data that does not fit the dtype or the shape", () => {
    expectFormatError(() => encodeNpy({ dtype: "uint8", shape: [2], data: [1, 256] }, "x.npy"), /x\.npy/, /256 at index 1 does not fit uint8/);
    expectFormatError(() => encodeNpy({ dtype: "int32", shape: [2], data: [1, 2.5] }), /2\.5/);
    expectFormatError(() => encodeNpy({ dtype: "int32", shape: [2, 2], data: [1, 2, 3] }), /3 elements, shape \[2, 2\] needs 4/);
    expectFormatError(() => encodeNpy({ dtype: "int32", shape: [-1], data: [] }), /invalid dimension -1/);
  });
});

describe("npy decode", () => {
  it("reads the hand-assembled 2x3 int32 file", () => {
    const arr = decodeNpy(INT32_2x3, "a.npy");
    expect(arr.dtype).toBe("int32");
    expect(arr.shape).toEqual([2, 3]);
    expect(Array.from(arr.data)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("reads versions 2.0 and 3.0 (bytes from np.lib.format.write_array)", () => {
    const body = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }" + " ".repeat(58) + "\n";
    for (const major of [2, 3]) {
      const bytes = new Uint8Array([0x93, ...Buffer.from("NUMPY"), major, 0, 0x74, 0, 0, 0, ...Buffer.from(body), ...le32(0, 1)]);
      const arr = decodeNpy(bytes);
      expect(parseNpyHeader(bytes).version).toEqual([major, 0]);
      expect(Array.from(arr.data)).toEqual([0, 1]);
    }
  });

  it("narrows int64 to int32 and reads bool (np.save of np.array(7, int64) and [True, False])", () => {
    const i64 = hex(`934e554d505901007600 ${Buffer.from("{'descr': '<i8', 'fortran_order': False, 'shape': (), }").toString("hex")}
      ${"20".repeat(62)} 0a 0700000000000000`);
    const a = decodeNpy(i64);
    expect(a.dtype).toBe("int32");
    expect(a.storedDtype).toBe("int64");
    expect(a.shape).toEqual([]);
    expect(Array.from(a.data)).toEqual([7]);

    const neg = new BigInt64Array([-5n, 2147483647n, -2147483648n]);
    const bytes = npyV1("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", [...new Uint8Array(neg.buffer)]);
    expect(Array.from(decodeNpy(bytes).data)).toEqual([-5, 2147483647, -2147483648]);

    const b = decodeNpy(npyV1("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", [1, 0]));
    expect(b.dtype).toBe("bool");
    expect(Array.from(b.data)).toEqual([1, 0]);
  });

  it("accepts Python 2 long literals and double-quoted strings", () => {
    const arr = decodeNpy(npyV1(`{"descr": "<i4", "fortran_order": False, "shape": (2L, 1L)}`, le32(4, 5)));
    expect(arr.shape).toEqual([2, 1]);
    expect(Array.from(arr.data)).toEqual([4, 5]);
  });

  it("reads a header whose data start is not 4-byte aligned", () => {
    const arr = decodeNpy(npyV1("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", le32(-1, 9), { totalHeader: 79 }));
    expect(Array.from(arr.data)).toEqual([-1, 9]);
  });

  it("refuses Fortran order with a clear message", () => {
    const f = npyV1("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", le32(0, 1, 2, 3, 4, 5));
    const err = expectFormatError(() => decodeNpy(f, "data/f.npy"), /data\/f\.npy/, /fortran_order/, /Fortran-ordered arrays are not supported/);
    expect(err.location).toMatchObject({ file: "data/f.npy", field: "fortran_order" });
  });

  it("names the file and field of every malformed header", () => {
    const d = (dict: string, data: number[] = []) => () => decodeNpy(npyV1(dict, data), "bad.npy");
    expectFormatError(d("{'descr': '>i4', 'fortran_order': False, 'shape': (1,), }", le32(1)), /bad\.npy: descr/, /big-endian/);
    expectFormatError(d("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", [0, 0, 0, 0, 0, 0, 0, 0]), /descr/, /'<f8'/);
    expectFormatError(d("{'descr': '<U3', 'fortran_order': False, 'shape': (1,), }"), /unsupported dtype '<U3'/);
    expectFormatError(d("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,), }"), /malformed header/);
    expectFormatError(d("{'fortran_order': False, 'shape': (1,), }"), /missing or non-string descr/);
    expectFormatError(d("{'descr': '<i4', 'shape': (1,), }"), /fortran_order/);
    expectFormatError(d("{'descr': '<i4', 'fortran_order': False, }"), /missing or non-tuple shape/);
    expectFormatError(d("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), 'extra': 1}"), /unexpected header key 'extra'/);
    expectFormatError(d("{'descr': '<i4', 'descr': '<i4', 'fortran_order': False, 'shape': (1,)}"), /duplicate key 'descr'/);
    expectFormatError(d("{'descr': '<i4', 'fortran_order': False, 'shape': (1), }"), /one-element shape must be written \(n,\)/);
    expectFormatError(d("{'descr': '<i4', 'fortran_order': False, 'shape': (-1,), }"), /unexpected character "-"/);
    expectFormatError(d("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), } x"), /unexpected character "x"/);
    expectFormatError(d("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }}"), /trailing characters/);
    expectFormatError(d("{'descr': '<i4', 'fortran_order': False, 'shape': (1,)"), /expected ',' or '}'/);
    expectFormatError(d("{'descr': '<i4, 'fortran_order': False}"), /malformed header/);
    expectFormatError(d("{'descr': '<i4', 'fortran_order': 0, 'shape': (1,), }"), /fortran_order/, /True or False/);
    expectFormatError(d("{'descr': '<i4', 'fortran_order': False, 'shape': (99999999999999999,), }"), /too large/);
  });

  it("rejects bad magic, versions, truncation and trailing bytes", () => {
    expectFormatError(() => decodeNpy(new Uint8Array([1, 2, 3]), "t.npy"), /t\.npy: magic/, /not a \.npy file/);
    const v4 = INT32_2x3.slice();
    v4[6] = 4;
    expectFormatError(() => decodeNpy(v4), /unsupported \.npy version 4\.0/);
    expectFormatError(() => decodeNpy(INT32_2x3.slice(0, 60)), /truncated header/);
    expectFormatError(() => decodeNpy(INT32_2x3.slice(0, INT32_2x3.length - 1), "t.npy"), /t\.npy: data/, /truncated data/);
    expectFormatError(() => decodeNpy(new Uint8Array([...INT32_2x3, 0, 0])), /2 unexpected bytes after the data/);
  });

  it("refuses a lying shape without allocating for it", () => {
    const lie = npyV1("{'descr': '<i4', 'fortran_order': False, 'shape': (4503599627370495, 2), }", le32(1));
    expectFormatError(() => decodeNpy(lie), /truncated data/);
    const overflow = npyV1("{'descr': '<i4', 'fortran_order': False, 'shape': (4503599627370495, 4503599627370495), }");
    expectFormatError(() => decodeNpy(overflow), /too many elements/);
    const big = new Uint8Array([0x93, ...Buffer.from("NUMPY"), 2, 0, 0xff, 0xff, 0xff, 0x7f]);
    expectFormatError(() => decodeNpy(big), /header_len/, /implausibly large/);
  });

  it("checks int64 range and bool values", () => {
    const big = new BigInt64Array([1n, 2147483648n]);
    expectFormatError(
      () => decodeNpy(npyV1("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", [...new Uint8Array(big.buffer)]), "ids.npy"),
      /ids\.npy: data/,
      /int64 value 2147483648 at index 1 does not fit int32/,
    );
    expectFormatError(() => decodeNpy(npyV1("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", [1, 2])), /bool value 2 at index 1/);
  });
});

describe("npy files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recurse-npy-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes and reads back every writable dtype", async () => {
    const f32 = new Float32Array([0.5, -1e-7, 3.25e30, Number.NaN]);
    await writeNpy(join(dir, "f.npy"), { dtype: "float32", shape: [2, 2], data: f32 });
    const back = await readNpy(join(dir, "f.npy"));
    expect(back.shape).toEqual([2, 2]);
    expect(Buffer.from(back.data.buffer).equals(Buffer.from(f32.buffer))).toBe(true);

    await writeNpy(join(dir, "i.npy"), { dtype: "int32", shape: [2, 3], data: [0, 1, 2, 3, 4, 5] });
    expect(Buffer.from(await readFile(join(dir, "i.npy"))).equals(Buffer.from(INT32_2x3))).toBe(true);

    await writeNpy(join(dir, "u.npy"), { dtype: "uint8", shape: [3, 1], data: new Uint8Array([9, 0, 200]) });
    const u = await readNpy(join(dir, "u.npy"));
    expect(u.dtype).toBe("uint8");
    expect(Array.from(u.data)).toEqual([9, 0, 200]);
  });

  it("reports a missing file as a DataFormatError naming it", async () => {
    const path = join(dir, "missing.npy");
    await expect(readNpy(path)).rejects.toThrow(DataFormatError);
    await expect(readNpy(path)).rejects.toThrow(/missing\.npy: cannot read file/);
  });
});

describe("NpyWriter", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recurse-npyw-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("streams rows into a file byte-identical to encoding the whole array", async () => {
    const path = join(dir, "stream.npy");
    // A small buffer forces several flushes and one direct write of an append larger than the buffer.
    const w = NpyWriter.open(path, "int32", [3], { bufferBytes: 1 });
    const all: number[] = [];
    let v = 0;
    for (const rows of [1, 2, 1, 6000, 3]) {
      const chunk = Array.from({ length: rows * 3 }, () => (v = (v * 1103515245 + 12345) % 2147483648) - 1073741824);
      all.push(...chunk);
      w.append(chunk);
    }
    expect(w.rows).toBe(6007);
    expect(await w.close()).toEqual([6007, 3]);
    const expected = encodeNpy({ dtype: "int32", shape: [6007, 3], data: all });
    expect(Buffer.from(await readFile(path)).equals(Buffer.from(expected))).toBe(true);
  });

  it("writes a valid empty array and 1-d arrays of scalars", async () => {
    const empty = NpyWriter.open(join(dir, "empty.npy"), "uint8", [900]);
    await empty.close();
    const e = await readNpy(join(dir, "empty.npy"));
    expect(e.shape).toEqual([0, 900]);

    const ids = NpyWriter.open(join(dir, "ids.npy"), "int32", []);
    ids.append([0]);
    ids.append(new Int32Array([5, 9]));
    await ids.close();
    const back = await readNpy(join(dir, "ids.npy"));
    expect(back.shape).toEqual([3]);
    expect(Array.from(back.data)).toEqual([0, 5, 9]);
  });

  it("rejects partial rows, out-of-range values and use after close; abort deletes the file", async () => {
    const path = join(dir, "bad.npy");
    const w = NpyWriter.open(path, "uint8", [2, 2]);
    expectFormatError(() => w.append([1, 2, 3]), /bad\.npy: row 0/, /3 values, not a multiple of the row size 4/);
    expectFormatError(() => w.append([1, 2, 3, 300]), /300 at index 3 does not fit uint8/);
    w.append([1, 2, 3, 4]);
    w.abort();
    expect(existsSync(path)).toBe(false);
    expectFormatError(() => w.append([1, 2, 3, 4]), /already closed/);

    expectFormatError(() => NpyWriter.open(join(dir, "z.npy"), "int32", [0]), /rows must not be empty/);
    expectFormatError(() => NpyWriter.open(join(dir, "b.npy"), "bool" as "int32", [1]), /cannot stream dtype "bool"/);
    expectFormatError(() => NpyWriter.open(join(dir, "no/such/dir.npy"), "int32", [1]), /cannot write file/);
  });

  it("keeps a file written over an old one consistent", async () => {
    const path = join(dir, "over.npy");
    await writeFile(path, new Uint8Array(10_000).fill(7));
    const w = NpyWriter.open(path, "float32", [2]);
    w.append([1, 2]);
    await w.close();
    const back = await readNpy(path);
    expect(Array.from(back.data)).toEqual([1, 2]);
  });
});

describe("NpyReader", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recurse-npyr-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads row ranges equal to the whole-file decode", async () => {
    const path = join(dir, "rows.npy");
    const data = Array.from({ length: 50 * 2 * 3 }, (_, i) => (i * 37) % 256);
    await writeNpy(path, { dtype: "uint8", shape: [50, 2, 3], data });
    const r = await NpyReader.open(path);
    expect([r.rows, r.rowSize, r.dtype]).toEqual([50, 6, "uint8"]);
    expect(Array.from(await r.readRows(0, 50))).toEqual(data);
    expect(Array.from(await r.readRows(17, 3))).toEqual(data.slice(17 * 6, 20 * 6));
    expect((await r.readRows(50, 0)).length).toBe(0);
    await expect(r.readRows(49, 2)).rejects.toThrow(/rows\.npy: rows: rows \[49, 51\) out of range/);
    await expect(r.readRows(-1, 1)).rejects.toThrow(DataFormatError);
    await r.close();
    await r.close();
    await expect(r.readRows(0, 1)).rejects.toThrow(/reader is closed/);
  });

  it("narrows int64 rows, naming the element index of a value out of range", async () => {
    const path = join(dir, "i64.npy");
    const values = new BigInt64Array([1n, -2n, 3n, 4n, 5n, 2n ** 40n]);
    await writeFile(path, npyV1("{'descr': '<i8', 'fortran_order': False, 'shape': (3, 2), }", [...new Uint8Array(values.buffer)]));
    const r = await NpyReader.open(path);
    expect(r.dtype).toBe("int32");
    expect(Array.from(await r.readRows(0, 2))).toEqual([1, -2, 3, 4]);
    await expect(r.readRows(1, 2)).rejects.toThrow(/int64 value 1099511627776 at index 5 does not fit int32/);
    await r.close();
  });

  it("reads a header longer than its first read and checks the file size", async () => {
    const dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }";
    const hlen = 6000 - 12;
    const text = dict + " ".repeat(hlen - 1 - dict.length) + "\n";
    const bytes = new Uint8Array([0x93, ...Buffer.from("NUMPY"), 2, 0, hlen & 0xff, hlen >> 8, 0, 0, ...Buffer.from(text), ...le32(8, 9)]);
    await writeFile(join(dir, "long.npy"), bytes);
    const r = await NpyReader.open(join(dir, "long.npy"));
    expect(Array.from(await r.readRows(1, 1))).toEqual([9]);
    await r.close();

    await writeFile(join(dir, "short.npy"), bytes.subarray(0, bytes.length - 1));
    await expect(NpyReader.open(join(dir, "short.npy"))).rejects.toThrow(/short\.npy: data: file holds 7 data bytes, shape \[2\] needs 8/);
    await writeFile(join(dir, "f.npy"), npyV1("{'descr': '<i4', 'fortran_order': True, 'shape': (1,), }", le32(1)));
    await expect(NpyReader.open(join(dir, "f.npy"))).rejects.toThrow(/fortran_order/);
    await writeFile(join(dir, "tiny.npy"), new Uint8Array([0x93, 1]));
    await expect(NpyReader.open(join(dir, "tiny.npy"))).rejects.toThrow(/not a \.npy file/);
    await expect(NpyReader.open(join(dir, "none.npy"))).rejects.toThrow(/none\.npy: cannot read file/);
  });
});
