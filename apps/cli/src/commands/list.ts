import type { Command } from "commander";
import type { CliContext } from "../context";
import { println } from "../io";
import { schemaFlags } from "../options/schema-options";
import { countPresetParameters, formatCount, type PresetCount } from "../util/parameter-count";
import { textTable } from "../util/table";

/** What `recurse list --json` prints. */
export interface ListReport {
  architectures: {
    id: string;
    description: string;
    plugin: string;
    defaultPreset: string;
    presets: PresetCount[];
    /** Resolved config of each preset (when architectures are named on the command line). */
    configs?: Record<string, Record<string, unknown> | null>;
  }[];
  datasets: { id: string; description: string; plugin: string; options: string[] }[];
  evaluators: { id: string; description: string; plugin: string }[];
  plugins: { name: string; version: string | null; origin: string; from: string; architectures: string[]; datasets: string[]; evaluators: string[] }[];
  /** Built-in packages that export no plugin (an incomplete install). */
  missingBuiltins: string[];
}

export function registerListCommand(program: Command, ctx: CliContext): void {
  program
    .command("list")
    .description("list architectures (presets, parameter counts), datasets, evaluators and loaded plugins")
    .argument("[architecture...]", "only these architectures (with their presets' full configs in --json)")
    .option("--json", "print the list as JSON")
    .option("--no-params", "skip parameter counts (counting builds each preset once; results are cached)")
    .addHelpText(
      "after",
      `
Examples:
  $ recurse list
  $ recurse list --json | jq '.architectures[].id'
  $ recurse list trm --json                                 # trm's presets, configs and parameter counts
  $ recurse --plugin ./examples/custom-reasoner list      # includes the plugin's architectures

Parameter counts exclude the puzzle-embedding table, as the papers count them. They are cached in
$RECURSE_CACHE_DIR (default ~/.cache/recurse).`,
    )
    .action(async (only: string[], opts: { json?: boolean; params: boolean }, cmd: Command) => {
      const session = ctx.session(cmd);
      const { registry, loaded } = await session.registry();
      if (opts.params) await session.engine();
      const archs = only.length ? only.map((id) => registry.architectures.get(id)) : registry.architectures.list();
      const report: ListReport = {
        architectures: archs.map((a) => ({
          id: a.id,
          description: a.description,
          plugin: registry.architectures.pluginOf(a.id),
          defaultPreset: a.defaultPreset,
          presets: opts.params
            ? countPresetParameters(registry, a.id, ctx.io.env)
            : Object.keys(a.presets).map((preset) => ({ preset, parameters: null })),
          ...(only.length ? { configs: Object.fromEntries(Object.keys(a.presets).map((p) => [p, safeConfig(registry, a.id, p)])) } : {}),
        })),
        datasets: registry.datasets.list().map((d) => ({
          id: d.id,
          description: d.description,
          plugin: registry.datasets.pluginOf(d.id),
          options: schemaFlags(d.buildSchema).map((f) => f.flag),
        })),
        evaluators: registry.evaluators.list().map((e) => ({ id: e.id, description: e.description, plugin: registry.evaluators.pluginOf(e.id) })),
        plugins: loaded.plugins.map(({ plugin, origin, from, version }) => ({
          name: plugin.name,
          version,
          origin,
          from,
          architectures: (plugin.architectures ?? []).map((a) => a.id),
          datasets: (plugin.datasets ?? []).map((d) => d.id),
          evaluators: (plugin.evaluators ?? []).map((e) => e.id),
        })),
        missingBuiltins: loaded.missingBuiltins,
      };
      if (opts.json) return println(ctx.io, JSON.stringify(report, null, 2));
      println(ctx.io, formatList(report, opts.params));
    });
}

function safeConfig(registry: import("@recurse/core").Registry, id: string, preset: string): Record<string, unknown> | null {
  try {
    return registry.architectures.resolveConfig(id, { preset });
  } catch {
    return null;
  }
}

function formatList(r: ListReport, params: boolean): string {
  const out: string[] = [];
  out.push("Architectures");
  out.push(
    textTable(
      ["id", "plugin", "presets" + (params ? " (parameters; * = default)" : " (* = default)"), "description"],
      r.architectures.map((a) => [
        a.id,
        a.plugin,
        a.presets
          .map((p) => `${p.preset}${p.preset === a.defaultPreset ? "*" : ""}${params ? ` ${formatCount(p.parameters)}` : ""}`)
          .join(", "),
        a.description,
      ]),
    ),
  );
  for (const a of r.architectures) {
    if (!a.configs) continue;
    for (const [preset, config] of Object.entries(a.configs)) {
      out.push("", `${a.id} preset ${preset}:`, config ? "  " + Object.entries(config).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ") : "  (invalid)");
    }
  }
  if (r.architectures.some((a) => a.configs)) return out.join("\n");
  out.push("", "Datasets (recurse data build <id> --help for options)");
  out.push(textTable(["id", "plugin", "description"], r.datasets.map((d) => [d.id, d.plugin, d.description])));
  out.push("", "Evaluators");
  out.push(textTable(["id", "plugin", "description"], r.evaluators.map((e) => [e.id, e.plugin, e.description])));
  out.push("", "Plugins");
  out.push(
    textTable(
      ["name", "version", "from", "provides"],
      r.plugins.map((p) => [
        p.name,
        p.version ?? "-",
        p.origin === "builtin" ? "built-in" : `${p.from} (${p.origin === "flag" ? "--plugin" : "config"})`,
        [...p.architectures, ...p.datasets, ...p.evaluators].join(", "),
      ]),
    ),
  );
  if (r.missingBuiltins.length) out.push("", `Not loaded: ${r.missingBuiltins.join(", ")}`);
  return out.join("\n");
}
