import type { LoadPluginsResult } from "./plugins/load-plugins";

export interface CliRegistry {
  loaded: LoadPluginsResult;
}

export async function buildRegistry(loaded: LoadPluginsResult): Promise<CliRegistry> {
  return { loaded };
}
