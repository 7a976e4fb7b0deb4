import type { Command } from "commander";
import { initEngine, tf, type EngineInfo, type EngineRequest } from "@recurse/core";
import type { CliIO } from "./io";
import { log } from "./io";
import { loadPlugins, type LoadPluginsResult } from "./plugins/load-plugins";
import { buildRegistry, type CliRegistry } from "./registry";

/** Options every command accepts. */
export interface GlobalOptions {
  engine: string;
  plugin: string[];
}

/** What a command needs, created lazily: plugins are imported and the engine started only when a command asks. */
export interface Session {
  globals: GlobalOptions;
  plugins(): Promise<LoadPluginsResult>;
  registry(): Promise<CliRegistry>;
  engine(): Promise<EngineInfo>;
}

export interface CliContext {
  io: CliIO;
  session(cmd: Command): Session;
  /**
   * The exit code of a command that succeeded in its own way but must not report plain success, e.g. 130 for a
   * training run stopped by Ctrl-C; {@link runCli} returns it. Errors still end with 1 by throwing.
   */
  exitCode?: number;
}

export function createContext(io: CliIO): CliContext {
  let cached: Session | undefined;
  return {
    io,
    session(cmd) {
      if (cached) return cached;
      const raw = cmd.optsWithGlobals() as { engine?: string; plugin?: string[] };
      const globals: GlobalOptions = { engine: raw.engine ?? "auto", plugin: raw.plugin ?? [] };
      let plugins: Promise<LoadPluginsResult> | undefined;
      let registry: Promise<CliRegistry> | undefined;
      let engine: Promise<EngineInfo> | undefined;
      const session: Session = {
        globals,
        plugins: () => (plugins ??= loadPlugins({ cwd: io.cwd, flags: globals.plugin })),
        registry: () => (registry ??= session.plugins().then((p) => buildRegistry(p))),
        engine: () =>
          (engine ??= session.plugins().then(async (p) => {
            // The flag wins over the config file; `auto` is the default.
            const request = (raw.engine ?? p.configEngine ?? "auto") as EngineRequest;
            globals.engine = request;
            // Production mode silences tfjs's console banners (e.g. "looks like you are running in Node.js"),
            // which would otherwise interleave with the CLI's output; RECURSE_DEBUG keeps them.
            if (!io.env.RECURSE_DEBUG) tf.env().set("PROD", true);
            const info = await initEngine(request);
            if (io.env.RECURSE_DEBUG) log(io, `engine: ${info.engine} (backend ${info.backend}, ${info.threads} thread(s))`);
            return info;
          })),
      };
      cached = session;
      return session;
    },
  };
}
