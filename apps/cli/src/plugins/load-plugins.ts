import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import type { Plugin } from "@recurse/core";
import { CliError } from "../errors";
import { loadBuiltinPlugins } from "./builtins";
import { readConfigFile } from "./config-file";
import { assertPlugin, pluginFromModule } from "./plugin-shape";
import { resolvePluginModule } from "./resolve-module";

/** A plugin and where it came from. */
export interface LoadedPlugin {
  plugin: Plugin;
  origin: "builtin" | "config" | "flag";
  /** Package name, file path or config file. */
  from: string;
  /** The plugin's version, or its package's version for built-ins. */
  version: string | null;
}

export interface LoadPluginsResult {
  plugins: LoadedPlugin[];
  /** Built-in packages that export no plugin yet. */
  missingBuiltins: string[];
  /** The config file read, if any. */
  configFile?: string;
  /** `engine` from the config file, if set. */
  configEngine?: string;
}

/**
 * Every plugin for this invocation: the built-ins, then `plugins` of `recurse.config.*` in `cwd`, then each
 * `--plugin` flag, in that order (the order the registry sees them, so duplicate ids are reported against the later one).
 *
 * @example
 * ```ts
 * const { plugins } = await loadPlugins({ cwd: process.cwd(), flags: ["./examples/custom-reasoner"] });
 * console.log(plugins.map((p) => p.plugin.name));
 * ```
 */
export async function loadPlugins(options: { cwd: string; flags?: string[]; builtins?: boolean }): Promise<LoadPluginsResult> {
  const result: LoadPluginsResult = { plugins: [], missingBuiltins: [] };
  if (options.builtins !== false) {
    const { plugins, missing } = await loadBuiltinPlugins();
    result.missingBuiltins = missing;
    for (const { plugin, version, pkg } of plugins) result.plugins.push({ plugin, origin: "builtin", from: pkg, version: plugin.version ?? version });
  }
  const config = await readConfigFile(options.cwd);
  if (config) {
    result.configFile = config.file;
    result.configEngine = config.engine;
    for (const entry of config.plugins) {
      const plugin =
        typeof entry === "string"
          ? await importPlugin(entry, dirname(config.file))
          : assertPlugin(entry, `${config.file} (inline plugin)`);
      result.plugins.push({ plugin, origin: "config", from: typeof entry === "string" ? entry : config.file, version: plugin.version ?? null });
    }
  }
  for (const spec of options.flags ?? []) {
    const plugin = await importPlugin(spec, options.cwd);
    result.plugins.push({ plugin, origin: "flag", from: spec, version: plugin.version ?? null });
  }
  return result;
}

/** Import one plugin module (path or package name, resolved from `baseDir`) and check its export. */
export async function importPlugin(spec: string, baseDir: string): Promise<Plugin> {
  const file = resolvePluginModule(spec, baseDir);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    const reason = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new CliError(`plugin ${spec}: failed to import ${file}: ${reason}`, { cause: err });
  }
  return pluginFromModule(mod, spec);
}
