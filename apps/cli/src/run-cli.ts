import { CommanderError } from "commander";
import { createContext } from "./context";
import { formatError } from "./errors";
import { processIO, type CliIO } from "./io";
import { createProgram } from "./program";

/**
 * Run the `recurse` command line with `argv` (without the node and script paths) and return the exit code:
 * 0 on success, 1 on a usage error or a failure, which is reported as one line on stderr (with the stack when
 * RECURSE_DEBUG=1), or the code a command chose (`ctx.exitCode`: 130/143 for a `train` stopped by SIGINT/SIGTERM).
 * Long-running commands (`view`) resolve when they are stopped. It never exits the process itself.
 *
 * @example
 * ```ts
 * import { runCli } from "@recurse/cli";
 * const code = await runCli(["list", "--json"]);
 * ```
 */
export async function runCli(argv: string[], io: CliIO = processIO()): Promise<number> {
  const ctx = createContext(io);
  const program = createProgram(ctx);
  try {
    await program.parseAsync(argv, { from: "user" });
    return ctx.exitCode ?? 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed its message (help, version, or the usage error).
      return err.exitCode === 0 ? 0 : 1;
    }
    io.stderr.write(`recurse: error: ${formatError(err)}\n`);
    if (io.env.RECURSE_DEBUG && err instanceof Error && err.stack) io.stderr.write(err.stack + "\n");
    return 1;
  }
}
