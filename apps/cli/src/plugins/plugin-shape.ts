import type { Plugin } from "@recurse/core";
import { CliError } from "../errors";

const EXPECTED = "a Plugin made by definePlugin({ name, architectures?, datasets?, evaluators? })";

/**
 * Check that a value a module exported is a usable Plugin, naming the first field that is wrong. The registry
 * validates again; this check exists so a user's typo is reported against their file, before anything runs.
 */
export function assertPlugin(value: unknown, source: string): Plugin {
  const fail = (field: string, expected: string): never => {
    throw new CliError(`plugin ${source}: '${field}' is not ${expected} (expected ${EXPECTED})`);
  };
  if (value === null || typeof value !== "object") fail("default export", "an object");
  const p = value as Record<string, unknown>;
  if (typeof p.name !== "string" || p.name === "") fail("name", "a non-empty string");
  checkList(p, "architectures", ["id", "string"], ["create", "function"], ["presets", "object"], ["schema", "object"]);
  checkList(p, "datasets", ["id", "string"], ["build", "function"], ["detect", "function"], ["render", "function"], ["buildSchema", "object"]);
  checkList(p, "evaluators", ["id", "string"], ["evaluate", "function"]);
  return value as Plugin;

  function checkList(obj: Record<string, unknown>, key: string, ...fields: [string, string][]): void {
    const list = obj[key];
    if (list === undefined) return;
    if (!Array.isArray(list)) fail(key, "an array");
    (list as unknown[]).forEach((item, i) => {
      if (item === null || typeof item !== "object") fail(`${key}[${i}]`, "an object");
      for (const [field, type] of fields) {
        const v = (item as Record<string, unknown>)[field];
        if (typeof v !== type || v === null) fail(`${key}[${i}].${field}`, `a ${type}`);
      }
    });
  }
}

/** The plugin a module exports: its default export, or a named export `plugin`. */
export function pluginFromModule(mod: Record<string, unknown>, source: string): Plugin {
  let candidate: unknown = mod.default ?? mod.plugin;
  // A CommonJS module imported from ESM wraps `module.exports` in `default`.
  if (candidate && typeof candidate === "object" && !("name" in candidate)) {
    const inner = candidate as Record<string, unknown>;
    candidate = inner.default ?? inner.plugin ?? candidate;
  }
  if (candidate === undefined) {
    const names = Object.keys(mod).filter((k) => k !== "default");
    throw new CliError(
      `plugin ${source}: the module has no default export and no export named 'plugin'` +
        (names.length ? ` (it exports ${names.join(", ")})` : "") +
        ` (expected ${EXPECTED})`,
    );
  }
  return assertPlugin(candidate, source);
}
