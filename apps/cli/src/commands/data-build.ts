import { resolve } from "node:path";
import { Command } from "commander";
import type { DatasetSpec } from "@recurse/core";
import type { CliContext } from "../context";
import { CliError } from "../errors";
import { log, println } from "../io";
import { addSchemaOptions, collectSchemaValues, schemaFlags, type SchemaFlag } from "../options/schema-options";
import { createProgress } from "../progress/progress";
import { cliOutput } from "../program";
import { textTable } from "../util/table";

const EXAMPLES = `
Examples:
  $ recurse data build sudoku --generate 2000 --size 4 --givens 8 --seed 0 --out data/sudoku4
  $ recurse data build sudoku --input train.csv --input test.csv --train-size 1000 --augmentations 1000 --seed 0 --out data/sudoku-extreme-1k
  $ recurse data build arc --input ARC-AGI/data --test-set evaluation --augmentations 1000 --leak-free --seed 0 --out data/arc1
  $ recurse data build sudoku --help        # every option of one dataset kind`;

/** Keys whose values are paths, resolved against the working directory before the build. */
const PATH_KEYS = new Set(["out", "inputs", "input", "dir", "file", "files"]);

export function registerDataCommand(program: Command, ctx: CliContext): void {
  const data = program.command("data").description("build reference-format datasets (train/ and test/ splits)");
  data.addHelpText("after", EXAMPLES);
  data
    .command("build")
    .description("build a dataset of one kind; its options come from the dataset plugin (see `recurse data build <dataset> --help`)")
    .argument("[dataset]", "dataset kind, e.g. sudoku or arc (recurse list shows them)")
    .usage("<dataset> [options]")
    .allowUnknownOption()
    .allowExcessArguments()
    .helpOption(false)
    .action(async (dataset: string | undefined, _opts: unknown, cmd: Command) => {
      const session = ctx.session(cmd);
      const { registry } = await session.registry();
      const args = cmd.args;
      if (!dataset || dataset === "--help" || dataset === "-h") {
        const kinds = registry.datasets.list();
        println(
          ctx.io,
          [
            "Usage: recurse data build <dataset> [options]",
            "",
            "Build a reference-format dataset. Dataset kinds:",
            textTable(["id", "plugin", "description"], kinds.map((d) => [d.id, registry.datasets.pluginOf(d.id), d.description])),
            EXAMPLES,
          ].join("\n"),
        );
        if (!dataset) throw new CliError("name a dataset kind: recurse data build <dataset> [options]");
        return;
      }
      if (dataset.startsWith("-")) throw new CliError(`name the dataset kind first: recurse data build <dataset> ${dataset} ...`);
      const spec = registry.datasets.get(dataset);
      const flags = schemaFlags(spec.buildSchema);
      const sub = datasetCommand(ctx, spec, flags);
      await sub.parseAsync(args.slice(1), { from: "user" });
      if (sub.opts().help) return void sub.outputHelp();
      await runBuild(ctx, spec, flags, sub.opts(), (sub.opts() as { json?: boolean }).json === true);
    });
}

/** A throwaway command holding one dataset's options, used to parse and to print its help. */
function datasetCommand(ctx: CliContext, spec: DatasetSpec<any>, flags: SchemaFlag[]): Command {
  const cmd = new Command(`recurse data build ${spec.id}`)
    .description(spec.description)
    .usage("[options]")
    .helpOption(false)
    .option("-h, --help", "show the options of this dataset kind")
    .option("--json", "print the build report as JSON")
    .exitOverride()
    .configureOutput(cliOutput(ctx))
    .showSuggestionAfterError(true)
    .action(() => {});
  addSchemaOptions(cmd, flags);
  cmd.addHelpText("after", EXAMPLES);
  return cmd;
}

async function runBuild(ctx: CliContext, spec: DatasetSpec<any>, flags: SchemaFlag[], values: Record<string, unknown>, json: boolean): Promise<void> {
  const input = collectSchemaValues(flags, values);
  for (const key of Object.keys(input)) {
    if (!PATH_KEYS.has(key)) continue;
    const v = input[key];
    if (typeof v === "string") input[key] = resolve(ctx.io.cwd, v);
    else if (Array.isArray(v)) input[key] = v.map((p) => (typeof p === "string" ? resolve(ctx.io.cwd, p) : p));
  }
  const parsed = (spec.buildSchema as { safeParse(v: unknown): { success: boolean; data?: unknown; error?: { issues: { path: PropertyKey[]; message: string }[] } } }).safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error!.issues[0];
    const flag = flagForPath(flags, issue.path.map(String));
    throw new CliError(`recurse data build ${spec.id}: ${flag ? flag + ": " : ""}${issue.message}`);
  }
  const progress = createProgress(ctx.io, { label: `build ${spec.id}`, total: 1, unit: "" });
  let lastTotal = 1;
  const report = await spec.build(parsed.data as Record<string, unknown>, {
    onProgress: (done, total) => {
      if (total !== lastTotal) progress.setTotal((lastTotal = total));
      progress.update(done);
    },
  });
  progress.stop();
  if (json) return println(ctx.io, JSON.stringify(report, null, 2));
  const rows = Object.entries(report.splits).map(([split, s]) => [split, String(s.examples), String(s.puzzles), String(s.groups)]);
  println(ctx.io, `wrote ${report.out} in ${report.seconds.toFixed(1)}s`);
  println(ctx.io, textTable(["split", "examples", "puzzles", "groups"], rows));
  for (const w of ((report as { warnings?: string[] }).warnings ?? [])) log(ctx.io, `warning: ${w}`);
}

function flagForPath(flags: SchemaFlag[], path: string[]): string | undefined {
  for (let n = path.length; n > 0; n--) {
    const f = flags.find((fl) => fl.path.join(".") === path.slice(0, n).join("."));
    if (f) return f.flag;
  }
  if (path.length > 1 && path[path.length - 1] === "count") return `--${path[0]}`;
  return undefined;
}
