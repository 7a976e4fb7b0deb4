import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CliError } from "../errors";

/** What `recurse.config.{mjs,js,json}` may hold. */
export interface RecurseConfigFile {
  /** Where it was read from. */
  file: string;
  /** Plugin specifiers (paths relative to the config file, or package names), or plugin objects (JS configs). */
  plugins: unknown[];
  /** Default `--engine`. */
  engine?: string;
}

export const CONFIG_FILE_NAMES = ["recurse.config.mjs", "recurse.config.js", "recurse.config.json"];

/**
 * Read the project config in `dir`, if there is one. More than one is ambiguous and refused, so a stale file
 * cannot silently win.
 *
 * @example
 * ```json
 * { "plugins": ["./my-reasoner/index.mjs", "recurse-plugin-maze"], "engine": "wasm" }
 * ```
 */
export async function readConfigFile(dir: string): Promise<RecurseConfigFile | undefined> {
  const found = CONFIG_FILE_NAMES.filter((name) => existsSync(join(dir, name)));
  if (found.length === 0) return undefined;
  if (found.length > 1) throw new CliError(`found ${found.join(" and ")} in ${dir}; keep only one`);
  const file = join(dir, found[0]);
  let raw: unknown;
  if (file.endsWith(".json")) {
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      throw new CliError(`${file}: not valid JSON (${(err as Error).message})`);
    }
  } else {
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    raw = mod.default;
  }
  return validate(raw, file);
}

function validate(raw: unknown, file: string): RecurseConfigFile {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new CliError(`${file}: expected an object such as { "plugins": ["./my-plugin.mjs"] }`);
  }
  const obj = raw as Record<string, unknown>;
  const known = new Set(["plugins", "engine", "$schema"]);
  const unknown = Object.keys(obj).filter((k) => !known.has(k));
  if (unknown.length) throw new CliError(`${file}: unknown key '${unknown[0]}' (expected plugins, engine)`);
  const plugins = obj.plugins ?? [];
  if (!Array.isArray(plugins)) throw new CliError(`${file}: plugins: expected an array of paths or package names`);
  plugins.forEach((p, i) => {
    const ok = typeof p === "string" ? p !== "" : !file.endsWith(".json") && p !== null && typeof p === "object";
    if (!ok) throw new CliError(`${file}: plugins[${i}]: expected a path or package name${file.endsWith(".json") ? "" : ", or a Plugin object"}`);
  });
  if (obj.engine !== undefined && typeof obj.engine !== "string") throw new CliError(`${file}: engine: expected a string such as "wasm"`);
  return { file, plugins, engine: obj.engine as string | undefined };
}
