import { RegistryError } from "../errors";
import type { Plugin } from "./types";

type Check = [field: string, kind: "string" | "function" | "schema" | "record", optional?: boolean];

const ARCHITECTURE: Check[] = [
  ["id", "string"],
  ["description", "string"],
  ["schema", "schema"],
  ["presets", "record"],
  ["defaultPreset", "string"],
  ["create", "function"],
];
const DATASET: Check[] = [
  ["id", "string"],
  ["description", "string"],
  ["buildSchema", "schema"],
  ["build", "function"],
  ["detect", "function"],
  ["render", "function"],
  ["parsePuzzle", "function", true],
];
const EVALUATOR: Check[] = [
  ["id", "string"],
  ["description", "string"],
  ["evaluate", "function"],
  ["appliesTo", "function", true],
];

const EXPECTED_FORM: Record<Check[1], string> = {
  string: "a string",
  function: "a function",
  schema: "a zod schema (with safeParse)",
  record: "an object of named entries",
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function describeValue(v: unknown): string {
  if (v === undefined) return "missing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return `a ${typeof v}`;
}

function fits(v: unknown, kind: Check[1]): boolean {
  switch (kind) {
    case "string":
      return typeof v === "string";
    case "function":
      return typeof v === "function";
    case "schema":
      return isObject(v) && typeof v.safeParse === "function" && typeof v.parse === "function";
    case "record":
      return isObject(v);
  }
}

/**
 * Check the shape of a plugin, as `use()` does, throwing a {@link RegistryError} that names the plugin, the entry
 * and the field. Returns the plugin unchanged.
 *
 * @example
 * validatePlugin(await import("./my-plugin.mjs").then((m) => m.default));
 */
export function validatePlugin(value: unknown): Plugin {
  if (!isObject(value)) throw new RegistryError(`a plugin must be an object, got ${describeValue(value)}`);
  const name = value.name;
  if (typeof name !== "string" || name.trim() === "") {
    throw new RegistryError(`plugin: name is ${describeValue(name)} (expected a non-empty string)`);
  }
  const where = `plugin ${JSON.stringify(name)}`;
  if (value.version !== undefined && typeof value.version !== "string") {
    throw new RegistryError(`${where}: version is ${describeValue(value.version)} (expected a string)`);
  }
  const lists: [string, Check[]][] = [
    ["architectures", ARCHITECTURE],
    ["datasets", DATASET],
    ["evaluators", EVALUATOR],
  ];
  for (const [key, checks] of lists) {
    const list = value[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new RegistryError(`${where}: ${key} is ${describeValue(list)} (expected an array)`);
    const seen = new Set<string>();
    // Array.from turns holes (`[a, , b]`) into undefined, which is then reported; forEach would skip them.
    Array.from(list as unknown[]).forEach((entry: unknown, i: number) => {
      const at = `${where}: ${key}[${i}]`;
      if (!isObject(entry)) throw new RegistryError(`${at} is ${describeValue(entry)} (expected an object)`);
      const label = typeof entry.id === "string" ? `${at} (${JSON.stringify(entry.id)})` : at;
      for (const [field, kind, optional] of checks) {
        const v = entry[field];
        if (optional && v === undefined) continue;
        if (!fits(v, kind)) throw new RegistryError(`${label}: ${field} is ${describeValue(v)} (expected ${EXPECTED_FORM[kind]})`);
      }
      const id = entry.id as string;
      if (id === "" || /\s/.test(id)) throw new RegistryError(`${label}: id must be non-empty without spaces`);
      if (seen.has(id)) throw new RegistryError(`${where}: ${key} lists id ${JSON.stringify(id)} twice`);
      seen.add(id);
      if (key === "architectures") {
        const presets = entry.presets as Record<string, unknown>;
        for (const [preset, config] of Object.entries(presets)) {
          if (!isObject(config)) throw new RegistryError(`${label}: presets.${preset} is ${describeValue(config)} (expected an object)`);
        }
        if (!Object.prototype.hasOwnProperty.call(presets, entry.defaultPreset as string)) {
          throw new RegistryError(
            `${label}: defaultPreset ${JSON.stringify(entry.defaultPreset)} is not one of its presets (${Object.keys(presets).join(", ") || "none"})`,
          );
        }
      }
    });
  }
  return value as unknown as Plugin;
}

/**
 * Declare a plugin: validates its shape now (so a mistake surfaces where the plugin is written, not when it is
 * loaded) and returns it unchanged. Defining a plugin registers nothing; a registry's `use()` does.
 *
 * @example
 * export default definePlugin({
 *   name: "my-reasoner",
 *   architectures: [{ id: "mine", description: "...", schema, presets: { small: {} }, defaultPreset: "small", create }],
 * });
 */
export function definePlugin<P extends Plugin>(plugin: P): P {
  validatePlugin(plugin);
  return plugin;
}
