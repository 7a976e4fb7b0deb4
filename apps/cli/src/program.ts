import { Command, Option } from "commander";
import type { CliContext } from "./context";
import { registerDataCommand } from "./commands/data-build";
import { registerEnvCommand } from "./commands/env";
import { registerEvalCommand } from "./commands/eval";
import { registerListCommand } from "./commands/list";
import { registerSolveCommand } from "./commands/solve";
import { registerTrainCommand } from "./commands/train";
import { registerViewCommand } from "./commands/view";
import { packageVersion } from "./util/versions";

const ENGINES = ["auto", "wasm", "cpu", "tfjs-node", "tfjs-node-gpu"];

/** Collects a repeatable option into an array. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * The `recurse` command tree. Output goes through `ctx.io`; commander's own messages (help, usage errors) too.
 */
export function createProgram(ctx: CliContext): Command {
  const program = new Command("recurse")
    .description("Build, train, evaluate, compare and inspect recursive reasoning models (HRM, TRM) on puzzles.")
    .version(packageVersion("@recurse/cli") ?? "0.0.0", "-V, --version")
    .addOption(new Option("--engine <engine>", "tensor engine (default: auto, or `engine` in recurse.config.*)").choices(ENGINES))
    .option("--plugin <path|package>", "load a plugin module (repeatable); also `plugins` in recurse.config.{mjs,js,json}", collect)
    .showSuggestionAfterError(true)
    .configureOutput(cliOutput(ctx))
    .exitOverride()
    .addHelpText(
      "after",
      `
Examples:
  $ recurse list
  $ recurse data build sudoku --generate 200 --size 4 --givens 8 --seed 0 --out data/sudoku4
  $ recurse train trm --data data/sudoku4 --preset tiny --steps 200 --out runs/trm-tiny
  $ recurse eval --model runs/trm-tiny --data data/sudoku4 --out results/
  $ recurse view results/
  $ recurse --plugin ./my-reasoner.mjs list

Set RECURSE_DEBUG=1 to print stacks and engine details.`,
    );
  registerListCommand(program, ctx);
  registerDataCommand(program, ctx);
  registerTrainCommand(program, ctx);
  registerEvalCommand(program, ctx);
  registerSolveCommand(program, ctx);
  registerViewCommand(program, ctx);
  registerEnvCommand(program, ctx);
  // Subcommands inherit the output routing and the throw-instead-of-exit behaviour.
  for (const cmd of allCommands(program)) {
    cmd.exitOverride().configureOutput(cliOutput(ctx));
    cmd.showSuggestionAfterError(true);
  }
  return program;
}

/**
 * Commander's output through the CLI's streams; its usage errors become the CLI's one-line form
 * (`recurse: error: unknown option '--generat' (did you mean --generate?)`).
 */
export function cliOutput(ctx: CliContext) {
  return {
    writeOut: (s: string) => void ctx.io.stdout.write(s),
    writeErr: (s: string) => void ctx.io.stderr.write(s),
    outputError: (s: string, write: (s: string) => void) =>
      write("recurse: " + s.trim().replace(/\n\(Did you mean (.*)\)$/, " (did you mean $1)").replace(/\n/g, " ") + "\n"),
  };
}

function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}
