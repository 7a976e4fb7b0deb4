/**
 * Where the CLI writes and what it knows about its surroundings. Commands never touch `process` directly, so
 * `runCli` can be driven from tests and other programs with captured streams.
 */
export interface CliIO {
  /** Data (tables, JSON) goes here. */
  stdout: { write(text: string): unknown };
  /** Logs, progress and errors go here. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** True when stderr is an interactive terminal: progress bars instead of plain log lines. */
  isTTY: boolean;
  /** Directory relative paths and `recurse.config.*` are resolved against. */
  cwd: string;
  env: Record<string, string | undefined>;
}

/** The IO of the running process. */
export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stderr.isTTY) && process.env.CI === undefined,
    cwd: process.cwd(),
    env: process.env,
  };
}

/** Write one line to stdout. */
export function println(io: CliIO, text = ""): void {
  io.stdout.write(text + "\n");
}

/** Write one log line to stderr (keeps stdout clean for `--json`). */
export function log(io: CliIO, text: string): void {
  io.stderr.write(text + "\n");
}
