import { PassThrough } from "node:stream";
import type { CliIO } from "../../src/io";

/** A CliIO that records what a command writes, for running `runCli` in-process. */
export function captureIO(cwd: string, env: Record<string, string | undefined> = {}): CliIO & { out(): string; err(): string } {
  let stdout = "";
  let stderr = "";
  const errStream = new PassThrough();
  errStream.setEncoding("utf8");
  errStream.on("data", (c: string) => (stderr += c));
  return {
    stdout: { write: (text: string) => ((stdout += text), true) },
    stderr: errStream,
    isTTY: false,
    cwd,
    env: { ...env },
    out: () => stdout,
    err: () => stderr,
  };
}
