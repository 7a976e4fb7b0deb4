import type { Command } from "commander";
import type { CliContext } from "../context";

export function registerListCommand(program: Command, _ctx: CliContext): void {
  program.command("list").description("(pending)");
}
