import os from "node:os";
import type { Command } from "commander";
import { tf } from "@recurse/core";
import type { CliContext } from "../context";
import { println } from "../io";
import { packageDir, packageVersion, recurseVersions } from "../util/versions";

/** Everything `recurse env` reports. */
export interface EnvReport {
  recurse: Record<string, string | null>;
  node: string;
  tfjs: Record<string, string | null>;
  engine: { requested: string; selected: string; backend: string; threads: number; skipped: { engine: string; reason: string }[] };
  os: { platform: string; release: string; arch: string };
  cpu: { model: string; cores: number };
  memoryGiB: number;
  plugins: { name: string; version: string | null; origin: string; from: string }[];
  configFile: string | null;
}

export function registerEnvCommand(program: Command, ctx: CliContext): void {
  program
    .command("env")
    .description("print engine, threads, versions and platform: the block to paste into a bug report")
    .option("--json", "print the report as JSON")
    .addHelpText(
      "after",
      `
Examples:
  $ recurse env
  $ recurse env --json > env.json
  $ recurse --engine cpu env`,
    )
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const session = ctx.session(cmd);
      const engine = await session.engine();
      const loaded = await session.plugins();
      const report = envReport(session.globals.engine, engine, loaded);
      if (opts.json) println(ctx.io, JSON.stringify(report, null, 2));
      else println(ctx.io, formatEnv(report));
    });
}

function envReport(
  requested: string,
  engine: { engine: string; backend: string; threads: number; skipped: { engine: string; reason: string }[] },
  loaded: Awaited<ReturnType<ReturnType<CliContext["session"]>["plugins"]>>,
): EnvReport {
  const coreDir = packageDir("@recurse/core") ?? undefined;
  const tfVersions = (tf as unknown as { version?: Record<string, string> }).version ?? {};
  const optional = ["@tensorflow/tfjs-backend-wasm", "@tensorflow/tfjs-node", "@tensorflow/tfjs-node-gpu"];
  const cpus = os.cpus();
  return {
    recurse: recurseVersions(),
    node: process.version,
    tfjs: {
      tfjs: tfVersions.tfjs ?? packageVersion("@tensorflow/tfjs", coreDir) ?? null,
      "tfjs-core": tfVersions["tfjs-core"] ?? null,
      ...Object.fromEntries(optional.map((p) => [p.replace("@tensorflow/", ""), packageVersion(p, coreDir)])),
    },
    engine: { requested, selected: engine.engine, backend: engine.backend, threads: engine.threads, skipped: engine.skipped },
    os: { platform: os.type(), release: os.release(), arch: os.arch() },
    cpu: { model: cpus[0]?.model?.trim() ?? "unknown", cores: cpus.length },
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    plugins: loaded.plugins.map((p) => ({ name: p.plugin.name, version: p.version, origin: p.origin, from: p.from })),
    configFile: loaded.configFile ?? null,
  };
}

/** The human block: aligned `key  value` lines inside a fenced block, ready to paste into an issue. */
export function formatEnv(r: EnvReport): string {
  const rows: [string, string][] = [];
  for (const [pkg, v] of Object.entries(r.recurse)) rows.push([pkg, v ?? "not installed"]);
  rows.push(["node", r.node]);
  for (const [pkg, v] of Object.entries(r.tfjs)) rows.push([pkg, v ?? "not installed"]);
  const skipped = r.engine.skipped
    .map((s) => `${s.engine}: ${/Cannot find (package|module)/.test(s.reason) ? "not installed" : s.reason}`)
    .join("; ");
  rows.push(["engine", `${r.engine.selected} (backend ${r.engine.backend}, ${r.engine.threads} thread(s), requested ${r.engine.requested})`]);
  if (skipped) rows.push(["engines skipped", skipped]);
  rows.push(["os", `${r.os.platform} ${r.os.release} ${r.os.arch}`]);
  rows.push(["cpu", `${r.cpu.cores} x ${r.cpu.model}`]);
  rows.push(["memory", `${r.memoryGiB} GiB`]);
  rows.push(["plugins", r.plugins.map((p) => `${p.name}${p.version ? "@" + p.version : ""}${p.origin === "builtin" ? "" : ` (${p.from})`}`).join(", ") || "none"]);
  rows.push(["config file", r.configFile ?? "none"]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return ["```", ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`), "```"].join("\n");
}
