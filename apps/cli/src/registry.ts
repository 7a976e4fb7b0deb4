import { createRegistry, type Registry } from "@recurse/core";
import { CliError } from "./errors";
import type { LoadPluginsResult } from "./plugins/load-plugins";

/** The registry of one CLI invocation and the plugins it was built from. */
export interface CliRegistry {
  registry: Registry;
  loaded: LoadPluginsResult;
}

/**
 * Register every loaded plugin, built-ins first. A user plugin that reuses a built-in id is refused (with the
 * file it came from), rather than silently replacing it.
 */
export async function buildRegistry(loaded: LoadPluginsResult): Promise<CliRegistry> {
  const registry = createRegistry();
  for (const { plugin, origin, from } of loaded.plugins) {
    try {
      registry.use(plugin);
    } catch (err) {
      if (origin === "builtin") throw err;
      const message = (err as Error).message.replace(/; use\(plugin, \{ replace: true \}\) to replace it$/, "; give it another id");
      throw new CliError(`plugin ${from}: ${message}`, { cause: err });
    }
  }
  return { registry, loaded };
}
