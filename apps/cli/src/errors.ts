/**
 * Turning any thrown value into the one line a user sees. Errors from plugins may come from another copy of
 * `@recurse/core`, so RecurseErrors are recognised by their shape (a `code` starting with `E_`), not `instanceof`.
 */
export class CliError extends Error {
  readonly code = "E_CLI";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CliError";
  }
}

/** True for a RecurseError from any copy of core, and for the CLI's own errors. */
export function isExpectedError(err: unknown): err is Error & { code: string } {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === "string" && code.startsWith("E_");
}

/** True for a zod validation error (any zod copy). */
function isZodError(err: unknown): err is Error & { issues: { path: PropertyKey[]; message: string }[] } {
  return err instanceof Error && Array.isArray((err as { issues?: unknown }).issues) && err.name === "ZodError";
}

/** One line describing `err`; unexpected errors say so, since they are bugs to report. */
export function formatError(err: unknown): string {
  if (isExpectedError(err)) return firstLine(err.message);
  if (isZodError(err)) {
    const issue = err.issues[0];
    const at = issue?.path.length ? issue.path.map(String).join(".") + ": " : "";
    return `${at}${issue?.message ?? err.message}`;
  }
  if (err instanceof Error) {
    const sys = err as NodeJS.ErrnoException;
    if (sys.code === "ENOENT" && sys.path) return `no such file or directory: ${sys.path}`;
    if (sys.code === "EACCES" && sys.path) return `permission denied: ${sys.path}`;
    return `unexpected ${err.name}: ${firstLine(err.message)} (run with RECURSE_DEBUG=1 for the stack, and please report it)`;
  }
  return `unexpected error: ${String(err)}`;
}

function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? text;
  return line.trim();
}
