import { ConfigError } from "../errors";
import { showValue } from "../formats/show-value";

/**
 * `--set key=value` overrides: dotted keys build nested objects; values are JSON-ish (numbers, booleans, null,
 * quoted strings, arrays, objects) and anything else is taken as a bare string.
 */

const KEY_PART = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;
const FORBIDDEN_KEYS = new Set(["__proto__", "prototype", "constructor"]);
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** Longest accepted `--set` argument, so a pathological one cannot cost much. */
const MAX_ASSIGNMENT_LENGTH = 100_000;

/**
 * Parse the value of one `--set`: `128` → 128, `1e-4` → 0.0001, `true`/`false`/`null`, `"text"` or `'text'` →
 * the string, `[1, 2]` or `[rope, none]` → an array, `{"a": 1}` → an object, anything else → the text itself.
 *
 * @example
 * parseOverrideValue("[3, 6]"); // [3, 6]
 */
export function parseOverrideValue(text: string, key = "value"): unknown {
  const t = text.trim();
  if (t === "true") return true;
  if (t === "false") return false;
  if (t === "null") return null;
  if (NUMBER.test(t)) {
    const n = Number(t);
    if (!Number.isFinite(n)) throw new ConfigError(`number ${t} is out of range`, { field: key, expected: "a finite number" });
    return n;
  }
  if (t.length >= 2 && t.startsWith("'") && t.endsWith("'")) return t.slice(1, -1);
  if (t.startsWith('"') || t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.parse(t);
    } catch (cause) {
      if (t.startsWith("[") && t.endsWith("]")) return parseLooseArray(t, key);
      throw new ConfigError(`cannot parse ${JSON.stringify(t)}: ${(cause as Error).message}`, {
        field: key,
        expected: "valid JSON for a quoted string, object or array (e.g. [1, 2] or {\"a\": 1})",
      });
    }
  }
  return t;
}

/** `[rope, 2, true]`: a flat array whose elements are parsed like single values (no nesting, no commas in items). */
function parseLooseArray(t: string, key: string): unknown[] {
  const inner = t.slice(1, -1).trim();
  if (inner === "") return [];
  return inner.split(",").map((part, i) => {
    const p = part.trim();
    if (p === "" || /[[\]{}"]/.test(p)) {
      throw new ConfigError(`cannot parse array element ${i} ${JSON.stringify(p)}`, {
        field: key,
        expected: "comma-separated numbers, booleans or bare words, or a JSON array",
      });
    }
    return parseOverrideValue(p, `${key}[${i}]`);
  });
}

/**
 * Set `value` at a dotted `key` of `target` (creating nested objects). Setting a key below one that holds a
 * non-object value (or the reverse) is a {@link ConfigError}.
 *
 * @example
 * const o = {}; setOverride(o, "halting.maxSteps", 8); // o = { halting: { maxSteps: 8 } }
 */
export function setOverride(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split(".");
  for (const part of parts) {
    if (!KEY_PART.test(part) || FORBIDDEN_KEYS.has(part)) {
      throw new ConfigError(`invalid key ${JSON.stringify(key)}`, { field: key, expected: "dotted identifiers such as halting.maxSteps" });
    }
  }
  let obj = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i];
    const next = obj[part];
    if (next === undefined) {
      const created: Record<string, unknown> = {};
      obj[part] = created;
      obj = created;
    } else if (typeof next === "object" && next !== null && !Array.isArray(next)) {
      obj = next as Record<string, unknown>;
    } else {
      throw new ConfigError(`cannot set ${key}: ${parts.slice(0, i + 1).join(".")} is already set to ${showValue(next)}`, { field: key });
    }
  }
  const last = parts[parts.length - 1];
  const existing = obj[last];
  if (typeof existing === "object" && existing !== null && !Array.isArray(existing) && !(typeof value === "object" && value !== null && !Array.isArray(value))) {
    throw new ConfigError(`cannot set ${key} to ${showValue(value)}: sub-keys of it are set too`, { field: key });
  }
  obj[last] = value;
}

/**
 * Turn `--set` arguments (`key=value`) into an overrides object. Later assignments of the same key win.
 *
 * @example
 * parseOverrides(["hiddenSize=128", "halting.maxSteps=8", "posEncodings=none"]);
 * // { hiddenSize: 128, halting: { maxSteps: 8 }, posEncodings: "none" }
 */
export function parseOverrides(assignments: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const raw of assignments) {
    if (typeof raw !== "string") throw new ConfigError(`--set argument is ${typeof raw}`, { expected: "key=value" });
    if (raw.length > MAX_ASSIGNMENT_LENGTH) {
      throw new ConfigError(`--set argument of ${raw.length} characters is too long`, { expected: `at most ${MAX_ASSIGNMENT_LENGTH}` });
    }
    const eq = raw.indexOf("=");
    if (eq < 0) throw new ConfigError(`--set ${JSON.stringify(raw)} has no '='`, { expected: "key=value, e.g. hiddenSize=128" });
    const key = raw.slice(0, eq).trim();
    if (key === "") throw new ConfigError(`--set ${JSON.stringify(raw)} has an empty key`, { expected: "key=value, e.g. hiddenSize=128" });
    setOverride(out, key, parseOverrideValue(raw.slice(eq + 1), key));
  }
  return out;
}
