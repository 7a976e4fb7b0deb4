/**
 * Fault injection for the fuzzers: byte-level edits of valid files (bit flips, overwrites with boundary bytes,
 * truncation, insertion, deletion, duplication) and structural edits of valid JSON (replace a node, delete a key,
 * drop or duplicate an array element). Both are fast-check arbitraries of edit lists applied to a valid seed
 * input, so every failure shrinks to a small list of edits.
 */
import fc from "fast-check";

/** One byte-level edit; positions are taken modulo the current length. */
export type ByteEdit =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "set"; at: number; value: number }
  | { kind: "truncate"; at: number }
  | { kind: "insert"; at: number; bytes: number[] }
  | { kind: "delete"; at: number; length: number }
  | { kind: "duplicate"; at: number; length: number };

/** Bytes that sit on boundaries of the formats we parse: 0, 0x7f/0x80/0xff, quotes, digits, brackets, colon. */
const BOUNDARY_BYTES = [0, 1, 0x7f, 0x80, 0xff, 0x22, 0x27, 0x30, 0x39, 0x2c, 0x3a, 0x28, 0x29, 0x5b, 0x5d, 0x7b, 0x7d, 0x20, 0x0a, 0x2d];

const byteValue = fc.oneof(fc.constantFrom(...BOUNDARY_BYTES), fc.integer({ min: 0, max: 255 }));

export const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("set" as const), at: fc.nat(), value: byteValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.array(byteValue, { minLength: 1, maxLength: 16 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }) },
);

/** 1..maxEdits edits. */
export const byteEdits = (maxEdits = 4) => fc.array(byteEdit, { minLength: 1, maxLength: maxEdits });

/** A copy of `bytes` with `edits` applied in order. */
export function applyByteEdits(bytes: Uint8Array, edits: readonly ByteEdit[]): Uint8Array {
  let out = new Uint8Array(bytes);
  for (const e of edits) {
    const n = out.length;
    const at = n === 0 ? 0 : e.at % n;
    switch (e.kind) {
      case "flip":
        if (n > 0) out[at] ^= 1 << e.bit;
        break;
      case "set":
        if (n > 0) out[at] = e.value;
        break;
      case "truncate":
        out = out.slice(0, at);
        break;
      case "insert": {
        const next = new Uint8Array(n + e.bytes.length);
        next.set(out.subarray(0, at), 0);
        next.set(e.bytes, at);
        next.set(out.subarray(at), at + e.bytes.length);
        out = next;
        break;
      }
      case "delete": {
        const next = new Uint8Array(Math.max(0, n - Math.min(e.length, n - at)));
        next.set(out.subarray(0, at), 0);
        next.set(out.subarray(at + e.length), at);
        out = next;
        break;
      }
      case "duplicate": {
        const piece = out.slice(at, at + e.length);
        const next = new Uint8Array(n + piece.length);
        next.set(out.subarray(0, at + piece.length), 0);
        next.set(piece, at + piece.length);
        next.set(out.subarray(at + piece.length), at + 2 * piece.length);
        out = next;
        break;
      }
    }
  }
  return out;
}

/** Did the edits change anything? (Some edit lists cancel out or touch nothing.) */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** JSON values that sit on the boundaries of the validators: wrong types, negative, fractional, huge, empty. */
export const boundaryJson: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  null,
  true,
  false,
  0,
  -1,
  1,
  0.5,
  -0.0,
  2 ** 31,
  2 ** 53,
  1e308,
  -1e308,
  "",
  "0",
  "x",
  "__proto__",
  [],
  [0],
  [-1],
  [1e9, 1e9, 1e9],
  {},
  JSON.parse('{"__proto__": {"polluted": true}}'),
);

/** A structural edit of a JSON document, addressed by a random walk (`path` picks children modulo their count). */
export type JsonEdit =
  | { kind: "replace"; path: number[]; value: unknown }
  | { kind: "deleteKey"; path: number[] }
  | { kind: "duplicateItem"; path: number[] }
  | { kind: "addKey"; path: number[]; key: string; value: unknown };

const jsonReplacement = fc.oneof({ weight: 3, arbitrary: boundaryJson }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
const walk = fc.array(fc.nat(), { minLength: 0, maxLength: 6 });

export const jsonEdit: fc.Arbitrary<JsonEdit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("replace" as const), path: walk, value: jsonReplacement }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("deleteKey" as const), path: walk }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("duplicateItem" as const), path: walk }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("addKey" as const),
      path: walk,
      key: fc.oneof(fc.constantFrom("__proto__", "constructor", "toString", "extra"), fc.string({ maxLength: 6 })),
      value: jsonReplacement,
    }),
  },
);

export const jsonEdits = (maxEdits = 3) => fc.array(jsonEdit, { minLength: 1, maxLength: maxEdits });

function children(v: unknown): [string | number, unknown][] {
  if (Array.isArray(v)) return v.map((x, i) => [i, x]);
  if (typeof v === "object" && v !== null) return Object.entries(v);
  return [];
}

/** Follow `path` from the root as far as containers go; returns the container and the key inside it. */
function locate(root: unknown, path: readonly number[]): { parent: Record<string | number, unknown> | unknown[]; key: string | number } | undefined {
  let parent: unknown = undefined;
  let key: string | number | undefined;
  let node = root;
  for (const step of path) {
    const kids = children(node);
    if (kids.length === 0) break;
    const [k, child] = kids[step % kids.length];
    parent = node;
    key = k;
    node = child;
  }
  if (parent === undefined || key === undefined) return undefined;
  return { parent: parent as Record<string | number, unknown>, key };
}

/** A deep copy of `value` (a JSON document) with `edits` applied; keys are defined as own data properties. */
export function applyJsonEdits(value: unknown, edits: readonly JsonEdit[]): unknown {
  // JSON round trip: a deep copy whose "__proto__" keys stay plain data, as JSON.parse makes them.
  let root: unknown = JSON.parse(JSON.stringify(value));
  for (const e of edits) {
    const at = locate(root, e.path);
    const copy = (v: unknown) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
    switch (e.kind) {
      case "replace":
        if (!at) root = copy(e.value);
        else Object.defineProperty(at.parent, at.key, { value: copy(e.value), enumerable: true, writable: true, configurable: true });
        break;
      case "deleteKey":
        if (at) {
          if (Array.isArray(at.parent)) at.parent.splice(at.key as number, 1);
          else delete (at.parent as Record<string, unknown>)[at.key];
        }
        break;
      case "duplicateItem":
        if (at && Array.isArray(at.parent)) at.parent.splice(at.key as number, 0, copy(at.parent[at.key as number]));
        break;
      case "addKey": {
        const target = at ? (at.parent as Record<string | number, unknown>)[at.key] : root;
        if (typeof target === "object" && target !== null && !Array.isArray(target)) {
          Object.defineProperty(target, e.key, { value: copy(e.value), enumerable: true, writable: true, configurable: true });
        }
        break;
      }
    }
  }
  return root;
}

/** A deterministic seed per property, from its name, so every run replays the same cases. */
export function seedOf(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h | 0;
}
