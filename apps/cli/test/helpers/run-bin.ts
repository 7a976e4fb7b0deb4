import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The built binary the end-to-end tests run (npm test builds it first). */
export const BIN = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build it first with npx turbo run build --filter=@recurse/cli...`);
}

export interface BinResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `node dist/bin.js ...args` and collect its output (no TTY, so progress comes as plain lines). */
export function runBin(args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, RECURSE_DEBUG: "", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c) => (stderr += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
