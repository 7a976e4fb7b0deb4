import type { Command } from "commander";
import type { CliContext } from "../context";

export function registerDataCommand(program: Command, _ctx: CliContext): void {
  program.command("data").description("(pending)");
}
