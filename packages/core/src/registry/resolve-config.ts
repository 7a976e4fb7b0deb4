import type { z } from "zod";
import { ConfigError } from "../errors";
import { showValue } from "../formats/show-value";
import { didYouMean, unknownNameMessage } from "./did-you-mean";
import type { ArchitectureSpec } from "./types";
import { issuePath } from "./zod-issues";

/** Which preset and overrides to resolve an architecture config from. */
export interface ResolveConfigOptions {
  /** Preset name; default: the architecture's `defaultPreset`. */
  preset?: string;
  /** Values merged over the preset (nested objects merged key by key, arrays replaced). */
  overrides?: Record<string, unknown>;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * `over` merged onto `base`: plain objects recursively, everything else replaced. Inputs are not modified.
 *
 * @example
 * mergeConfig({ a: 1, h: { x: 1, y: 2 } }, { h: { y: 3 } }); // { a: 1, h: { x: 1, y: 3 } }
 */
export function mergeConfig(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    const merged = isPlainObject(prev) && isPlainObject(value) ? mergeConfig(prev, value) : value;
    Object.defineProperty(out, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Keys of the zod object inside `schema` (through defaults, optionals, pipes/transforms), if it is one. */
function objectKeys(schema: unknown): string[] | undefined {
  let s = schema as { _zod?: { def?: Record<string, unknown> } } | undefined;
  for (let depth = 0; depth < 20 && s?._zod?.def; depth++) {
    const def = s._zod.def;
    if (def.type === "object" && typeof def.shape === "object" && def.shape !== null) return Object.keys(def.shape);
    s = (def.innerType ?? def.in) as typeof s;
  }
  return undefined;
}

/** The sub-schema of an object schema at `key`, for suggestions at nested paths. */
function childSchema(schema: unknown, key: string): unknown {
  let s = schema as { _zod?: { def?: Record<string, unknown> } } | undefined;
  for (let depth = 0; depth < 20 && s?._zod?.def; depth++) {
    const def = s._zod.def;
    if (def.type === "object") return (def.shape as Record<string, unknown>)[key];
    s = (def.innerType ?? def.in) as typeof s;
  }
  return undefined;
}

function schemaAt(schema: unknown, path: readonly PropertyKey[]): unknown {
  let s = schema;
  for (const key of path) s = typeof key === "string" ? childSchema(s, key) : undefined;
  return s;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

const preview = (v: unknown) => showValue(v);

function unknownKeyError(path: string, key: string, known: string[] | undefined, context: string): ConfigError {
  const guess = known ? didYouMean(key, known) : undefined;
  const hint = guess ? `; did you mean ${JSON.stringify(guess)}?` : "";
  const list = known ? ` (known: ${known.join(", ")})` : "";
  return new ConfigError(`unknown config key for ${context}${hint}${list}`, { field: path });
}

/** Override paths (`a.b`) whose key did not survive parsing: a non-strict schema dropped them as unknown. */
function droppedKeys(input: Record<string, unknown>, output: unknown, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [key, value] of Object.entries(input)) {
    const parsedObj = typeof output === "object" && output !== null ? (output as Record<string, unknown>) : undefined;
    if (!parsedObj || !Object.prototype.hasOwnProperty.call(parsedObj, key)) out.push([...prefix, key]);
    else if (isPlainObject(value)) out.push(...droppedKeys(value, parsedObj[key], [...prefix, key]));
  }
  return out;
}

/**
 * Resolve an architecture's config: `schema.parse(merge(presets[preset], overrides))`. Invalid values and unknown
 * keys become {@link ConfigError}s naming the key path and expected form (with a "did you mean" for misspelt keys);
 * an unknown preset lists the known ones.
 *
 * @example
 * resolveArchitectureConfig(trmSpec, { preset: "sudoku-mlp", overrides: { hiddenSize: 128 } });
 */
export function resolveArchitectureConfig<C extends Record<string, unknown>>(spec: ArchitectureSpec<C>, options: ResolveConfigOptions = {}): C {
  const presetName = options.preset ?? spec.defaultPreset;
  if (!Object.prototype.hasOwnProperty.call(spec.presets, presetName)) {
    throw new ConfigError(`architecture ${JSON.stringify(spec.id)}: ${unknownNameMessage("preset", presetName, Object.keys(spec.presets))}`, { field: "preset" });
  }
  const overrides = options.overrides ?? {};
  if (!isPlainObject(overrides)) throw new ConfigError(`overrides must be a plain object, got ${preview(overrides)}`, { field: "overrides" });
  const input = mergeConfig(spec.presets[presetName] as Record<string, unknown>, overrides);
  const context = `architecture ${JSON.stringify(spec.id)} (preset ${JSON.stringify(presetName)})`;
  const parsed = (spec.schema as z.ZodType<C>).safeParse(input);
  if (!parsed.success) throw configErrorFromIssues(parsed.error.issues, spec.schema, input, context);
  const dropped = droppedKeys(overrides, parsed.data);
  if (dropped.length > 0) {
    const path = dropped[0];
    const parent = path.slice(0, -1);
    throw unknownKeyError(path.join("."), path[path.length - 1], objectKeys(schemaAt(spec.schema, parent)), context);
  }
  return parsed.data;
}

/** The first zod issue as a ConfigError at its key path; further issues are listed after it. */
export function configErrorFromIssues(issues: readonly z.core.$ZodIssue[], schema: unknown, input: unknown, context: string): ConfigError {
  const first = issues[0];
  const more = issues.length > 1 ? `; also ${issues.slice(1, 4).map((i) => `${issuePath(i.path) || "(root)"}: ${i.message}`).join("; ")}${issues.length > 4 ? "; ..." : ""}` : "";
  if (first.code === "unrecognized_keys") {
    const key = first.keys[0];
    const path = [...first.path.map(String), key].join(".");
    return unknownKeyError(path, key, objectKeys(schemaAt(schema, first.path)), context + more);
  }
  const path = issuePath(first.path);
  const value = valueAt(input, first.path);
  const got = value === undefined ? "missing" : `got ${preview(value)}`;
  return new ConfigError(`${first.message} (${got}; ${context})${more}`, { field: path || undefined });
}
