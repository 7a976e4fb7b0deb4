import type { Command } from "commander";
import type { CliContext } from "../context";

export function registerSolveCommand(program: Command, _ctx: CliContext): void {
  program.command("solve").description("(pending)");
}
