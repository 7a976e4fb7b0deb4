import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const requireHere = createRequire(import.meta.url);

/** The @recurse packages the CLI ships with. */
export const RECURSE_PACKAGES = [
  "@recurse/cli",
  "@recurse/core",
  "@recurse/trm",
  "@recurse/hrm",
  "@recurse/datasets-sudoku",
  "@recurse/datasets-arc",
  "@recurse/eval",
];

/** The installed version of `pkg` as seen from `from` (a module or directory path), or null when absent. */
export function packageVersion(pkg: string, from?: string): string | null {
  const file = packageJsonPath(pkg, from);
  if (!file) return null;
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

/** Path of `pkg`'s package.json, found by walking node_modules upward (works for ESM-only packages too). */
export function packageJsonPath(pkg: string, from?: string): string | null {
  try {
    const req = from ? createRequire(join(from, "noop.js")) : requireHere;
    return req.resolve(`${pkg}/package.json`);
  } catch {
    // Packages whose "exports" hide package.json: walk up by hand.
    let dir = from ?? dirname(requireHere.resolve("commander"));
    for (;;) {
      const candidate = join(dir, "node_modules", pkg, "package.json");
      if (existsSync(candidate)) return candidate;
      const up = dirname(dir);
      if (up === dir) return null;
      dir = up;
    }
  }
}

/** The directory of an installed package, or null. */
export function packageDir(pkg: string, from?: string): string | null {
  const file = packageJsonPath(pkg, from);
  return file ? dirname(file) : null;
}

/** Versions of every @recurse package (null when not installed). */
export function recurseVersions(): Record<string, string | null> {
  return Object.fromEntries(RECURSE_PACKAGES.map((p) => [p, packageVersion(p)]));
}
