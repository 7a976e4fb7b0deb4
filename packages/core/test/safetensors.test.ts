import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DataFormatError,
  decodeSafetensors,
  encodeSafetensors,
  readSafetensors,
  writeSafetensors,
  type NamedTensor,
} from "@recurse/core";
import { expectThrown } from "../../../test-support/expect-thrown";

/** Hand-assembled file: u64 LE header length, JSON header padded with spaces to 8-byte alignment, data. */
function file(header: string, data: number[] = [], { pad = true } = {}): Uint8Array {
  const padded = pad ? header + " ".repeat((8 - (header.length % 8)) % 8) : header;
  const len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(padded.length), true);
  return new Uint8Array([...len, ...Buffer.from(padded, "utf8"), ...data]);
}
const f32 = (...v: number[]) => [...new Uint8Array(new Float32Array(v).buffer)];
const i32 = (...v: number[]) => [...new Uint8Array(new Int32Array(v).buffer)];

const expectFormatError = (fn: () => unknown, ...parts: RegExp[]): DataFormatError => expectThrown(fn, DataFormatError, ...parts);

describe("safetensors encode", () => {
  it("writes the exact bytes of a hand-assembled file", () => {
    const tensors = new Map<string, NamedTensor>([
      ["w", { dtype: "F32", shape: [2], data: new Float32Array([1, -2]) }],
      ["n", { dtype: "I32", shape: [], data: new Int32Array([7]) }],
    ]);
    const expected = file(
      '{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"n":{"dtype":"I32","shape":[],"data_offsets":[8,12]}}',
      [...f32(1, -2), ...i32(7)],
    );
    const bytes = encodeSafetensors(tensors, { format: "pt" });
    expect(Buffer.from(bytes).equals(Buffer.from(expected))).toBe(true);
    // The data section starts 8-byte aligned.
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0);
  });

  it("round-trips every dtype, empty tensors and metadata", () => {
    const tensors = new Map<string, NamedTensor>([
      ["a.f32", { dtype: "F32", shape: [2, 2], data: new Float32Array([0.1, Number.NaN, -0, 3e38]) }],
      ["b.f64", { dtype: "F64", shape: [1], data: new Float64Array([Math.PI]) }],
      ["c.i64", { dtype: "I64", shape: [2], data: new BigInt64Array([-(2n ** 62n), 5n]) }],
      ["d.u8", { dtype: "U8", shape: [3], data: new Uint8Array([0, 128, 255]) }],
      ["e.bool", { dtype: "BOOL", shape: [2], data: new Uint8Array([1, 0]) }],
      ["f.empty", { dtype: "F32", shape: [0, 5], data: new Float32Array(0) }],
      ["g.i32", { dtype: "I32", shape: [1, 1], data: new Int32Array([-3]) }],
    ]);
    const back = decodeSafetensors(encodeSafetensors(tensors, { step: "12", "ünï": "çødé" }));
    expect(back.metadata).toEqual({ step: "12", "ünï": "çødé" });
    expect([...back.tensors.keys()]).toEqual([...tensors.keys()]);
    for (const [name, t] of tensors) {
      const b = back.tensors.get(name)!;
      expect(b.dtype).toBe(t.dtype);
      expect(b.shape).toEqual(t.shape);
      expect(b.data.constructor).toBe(t.data.constructor);
      expect(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength).equals(Buffer.from(t.data.buffer))).toBe(true);
    }
  });

  it("rejects tensors that do not match their dtype or shape", () => {
    const one = (t: unknown, name = "x") => () => encodeSafetensors(new Map([[name, t as NamedTensor]]), {}, "m.safetensors");
    expectFormatError(one({ dtype: "F32", shape: [2], data: new Float64Array(2) }), /m\.safetensors: x: data is a Float64Array/, /typed array of dtype F32/);
    expectFormatError(one({ dtype: "F32", shape: [3], data: new Float32Array(2) }), /2 elements, shape \[3\] needs 3/);
    expectFormatError(one({ dtype: "BF16", shape: [1], data: new Uint8Array(2) }), /unsupported dtype "BF16"/);
    expectFormatError(one({ dtype: "BOOL", shape: [1], data: new Uint8Array([2]) }), /bool value 2/);
    expectFormatError(one({ dtype: "F32", shape: [1.5], data: new Float32Array(1) }), /invalid dimension 1\.5/);
    expectFormatError(one({ dtype: "F32", shape: [1], data: new Float32Array(1) }, "__metadata__"), /invalid tensor name/);
    expectFormatError(() => encodeSafetensors(new Map(), { a: 1 as unknown as string }), /__metadata__\.a: metadata value is number/);
  });
});

describe("safetensors decode", () => {
  it("reads a hand-assembled file whose header lists tensors out of data order", () => {
    const bytes = file(
      '{"b":{"dtype":"I32","shape":[1],"data_offsets":[8,12]},"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]}}',
      [...f32(0.5, 2), ...i32(-9)],
    );
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: "pt" });
    expect(tensors.get("a")).toEqual({ dtype: "F32", shape: [1, 2], data: new Float32Array([0.5, 2]) });
    expect(tensors.get("b")).toEqual({ dtype: "I32", shape: [1], data: new Int32Array([-9]) });
  });

  it("refuses a huge header length before allocating anything", () => {
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 100_000_001n, true);
    expectFormatError(() => decodeSafetensors(huge, "h.safetensors"), /h\.safetensors: header_len: header length 100000001 is too large/, /at most 100000000/);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 63n, true);
    expectFormatError(() => decodeSafetensors(huge), /header length 9223372036854775808 is too large/);
    new DataView(huge.buffer).setBigUint64(0, 1000n, true);
    expectFormatError(() => decodeSafetensors(huge), /truncated header \(1000 bytes announced, 8 present\)/);
    expectFormatError(() => decodeSafetensors(new Uint8Array(3)), /no header length/);
  });

  it("names the file and tensor of every malformed entry", () => {
    const d = (header: string, data: number[] = []) => () => decodeSafetensors(file(header, data), "m.safetensors");
    expectFormatError(d("{not json"), /m\.safetensors: header: header is not valid UTF-8 JSON/);
    expectFormatError(d("[1,2]"), /header is not a JSON object/);
    expectFormatError(d('{"w":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]}}', [0, 0]), /m\.safetensors: w: unsupported dtype "BF16"/, /F32, F64, I32, I64, U8, BOOL/);
    expectFormatError(d('{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', f32(1)), /w: invalid dimension -1/);
    expectFormatError(d('{"w":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}', f32(1, 2)), /w: shape is not a list/);
    expectFormatError(d('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}', f32(1)), /w: data_offsets is \[0\]/);
    expectFormatError(d('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}', f32(1)), /w: data_offsets \[0, 8\] out of range/);
    expectFormatError(d('{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}', f32(1)), /out of range/);
    expectFormatError(d('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', f32(1)), /w: holds 4 bytes, shape \[2\] of F32 needs 8/);
    expectFormatError(d('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}', f32(1)), /w: unexpected key 'x'/);
    expectFormatError(d('{"w":3}'), /w: tensor entry is not an object/);
    expectFormatError(
      d('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', f32(1, 2)),
      /b: data_offsets \[4, 8\] overlap another tensor/,
    );
    expectFormatError(d('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', f32(1, 2)), /a: gap before data_offsets \[4, 8\]/);
    expectFormatError(d('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32(1, 2)), /data: tensors cover 4 of 8 data bytes/);
    expectFormatError(d('{"__metadata__":{"step":3}}'), /__metadata__\.step: value is 3/);
    expectFormatError(d('{"__metadata__":[]}'), /__metadata__ is not an object/);
    expectFormatError(d('{"b":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}}', [1, 5]), /b: bool value 5 at index 1/);
    expectFormatError(d('{"w":{"dtype":"F32","shape":[4503599627370495,4503599627370495],"data_offsets":[0,4]}}', f32(1)), /too many elements/);
  });

  it("keeps a __proto__ metadata key as data", () => {
    const { metadata } = decodeSafetensors(file('{"__metadata__":{"__proto__":"x"}}'));
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(Object.keys(metadata)).toEqual(["__proto__"]);
  });
});

describe("safetensors files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "recurse-st-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the same bytes as encodeSafetensors and reads them back", async () => {
    const tensors = new Map<string, NamedTensor>([
      ["inner.H_init", { dtype: "F32", shape: [4], data: new Float32Array([1, 2, 3, 4]) }],
      ["step", { dtype: "I64", shape: [], data: new BigInt64Array([123456789012n]) }],
    ]);
    const path = join(dir, "model.safetensors");
    await writeSafetensors(path, tensors, { format: "pt" });
    expect(Buffer.from(await readFile(path)).equals(Buffer.from(encodeSafetensors(tensors, { format: "pt" })))).toBe(true);
    const back = await readSafetensors(path);
    expect(back.tensors.get("step")!.data).toEqual(new BigInt64Array([123456789012n]));
    await expect(readSafetensors(join(dir, "none.safetensors"))).rejects.toThrow(/none\.safetensors: cannot read file/);
  });
});
