import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseRecurseConfig } from "@recurse/core";
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
  // Core's parser names the file and the key, with a "did you mean" for misspelt keys.
  const parsed = parseRecurseConfig(raw, { file, allowPluginObjects: !file.endsWith(".json") });
  return { file, plugins: parsed.plugins, engine: parsed.engine };
}
