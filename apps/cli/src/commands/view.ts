import { existsSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import type { Command } from "commander";
import type { CliContext } from "../context";
import { CliError } from "../errors";
import { log, println } from "../io";
import { parseInteger } from "../options/parse-number";
import { startViewer } from "../viewer/server";
import { directoryTraceSource, memoryTraceSource, type TraceSource } from "../viewer/trace-source";
import { isRunDir } from "../run/run-dir";
import { traceRunOnTheFly } from "../run/trace-run";

export function registerViewCommand(program: Command, ctx: CliContext): void {
  program
    .command("view")
    .description("serve a local page (127.0.0.1 only) showing each puzzle, the target and the model's answer at every supervision step")
    .argument("<dir>", "a results directory from `recurse eval` (reads DIR/traces/), or a run directory from `recurse train`")
    .option("--port <n>", "port to listen on (default: a free one)", parseInteger("--port", 0, 65535))
    .option("--data <dir>", "for a run directory: dataset to evaluate a few examples on (default: the run's training data)")
    .option("--limit <k>", "for a run directory: examples to evaluate for the on-the-fly trace", parseInteger("--limit", 1), 16)
    .option("--split <name>", "for a run directory: dataset split to trace", "test")
    .addHelpText(
      "after",
      `
Examples:
  $ recurse view results/              # traces written by recurse eval
  $ recurse view runs/trm-tiny         # evaluates 16 test examples of the run's dataset first
  $ recurse view results/ --port 8080

Stop with Ctrl-C.`,
    )
    .action(async (dir: string, opts: { port?: number; data?: string; limit: number; split: string }, cmd: Command) => {
      const root = resolve(ctx.io.cwd, dir);
      if (!existsSync(root) || !statSync(root).isDirectory()) throw new CliError(`${dir}: no such directory`);
      let traces: TraceSource;
      const fromDir = directoryTraceSource(root);
      if (fromDir.list().length > 0 || !isRunDir(root)) {
        traces = directoryTraceSource(
          root,
          `No viewer traces in ${root}/traces.\nMake them with:\n  recurse eval --model RUN --data DATASET --out ${dir}\nthen run: recurse view ${dir}`,
        );
      } else {
        const session = ctx.session(cmd);
        const made = await traceRunOnTheFly(ctx.io, session, root, { data: opts.data, limit: opts.limit, split: opts.split });
        traces = memoryTraceSource(made.traces, made.message);
      }
      const viewer = await startViewer({ root, traces, port: opts.port, title: `recurse view ${basename(root)}` });
      println(ctx.io, `viewer: ${viewer.url}`);
      log(ctx.io, "serving on 127.0.0.1 only; press Ctrl-C to stop");
      await new Promise<void>((resolveStop) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          void viewer.close().then(resolveStop);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    });
}
