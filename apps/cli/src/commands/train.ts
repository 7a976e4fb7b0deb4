import type { Command } from "commander";
import type { CliContext } from "../context";

export function registerTrainCommand(program: Command, _ctx: CliContext): void {
  program.command("train").description("(pending)");
}
