import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { currentEngine, tf } from "@recurse/core";
import type { Results } from "../report/results-schema";

const require = createRequire(import.meta.url);

function packageVersion(name: string): string | null {
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")).version ?? null;
  } catch {
    return null;
  }
}

/**
 * Versions of the packages that shape results: this package, core, tfjs, node; plus any the caller adds.
 *
 * @example
 * ```ts
 * packageVersions({ "@recurse/cli": "0.1.0" }); // { "@recurse/core": "0.1.0", ..., node: "v20.20.2" }
 * ```
 */
export function packageVersions(extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ["@recurse/core", "@recurse/eval"]) {
    const v = packageVersion(name);
    if (v) out[name] = v;
  }
  out["@tensorflow/tfjs"] = tf.version?.tfjs ?? tf.version_core;
  out.node = process.version;
  return { ...out, ...extra };
}

/**
 * The git commit and whether the work tree has changes, or nulls outside a repository.
 *
 * @example
 * ```ts
 * gitRevision(); // { revision: "1c1669f...", dirty: false }
 * ```
 */
export function gitRevision(cwd = process.cwd()): Results["git"] {
  const git = (...args: string[]) => execFileSync("git", args, { cwd, stdio: ["ignore", "pipe", "ignore"], timeout: 5000 }).toString().trim();
  try {
    const revision = git("rev-parse", "HEAD");
    let dirty: boolean | null = null;
    try {
      dirty = git("status", "--porcelain", "--untracked-files=no").length > 0;
    } catch {
      dirty = null;
    }
    return { revision, dirty };
  } catch {
    return { revision: null, dirty: null };
  }
}

/**
 * The engine running now, as results.json records it, or null before `initEngine`.
 *
 * @example
 * ```ts
 * await initEngine("wasm");
 * engineInfo(); // { engine: "wasm", backend: "wasm", threads: 2 }
 * ```
 */
export function engineInfo(): Results["engine"] {
  const e = currentEngine();
  return e ? { engine: e.engine, backend: e.backend, threads: Math.max(1, e.threads) } : null;
}
