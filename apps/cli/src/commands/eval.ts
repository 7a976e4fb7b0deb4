import type { Command } from "commander";
import type { CliContext } from "../context";

export function registerEvalCommand(program: Command, _ctx: CliContext): void {
  program.command("eval").description("(pending)");
}
