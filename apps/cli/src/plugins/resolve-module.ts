import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { CliError } from "../errors";

/**
 * Resolve a `--plugin` argument to a file to import: a path (file or package directory) relative to `baseDir`, or
 * an installed package name looked up in the `node_modules` folders above `baseDir`, as Node would from there.
 * ESM-only packages are handled, which `require.resolve` alone does not do.
 */
export function resolvePluginModule(spec: string, baseDir: string): string {
  const looksLikePath = spec.startsWith(".") || isAbsolute(spec) || /\.(m?js|cjs)$/.test(spec);
  if (looksLikePath) {
    const path = resolve(baseDir, spec);
    if (!existsSync(path)) throw new CliError(`plugin ${spec}: no such file or directory (${path})`);
    return statSync(path).isDirectory() ? packageEntry(path, spec) : path;
  }
  for (let dir = resolve(baseDir); ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", spec);
    if (existsSync(join(candidate, "package.json"))) return packageEntry(candidate, spec);
    if (dirname(dir) === dir) break;
  }
  try {
    return createRequire(join(baseDir, "package.json")).resolve(spec);
  } catch {
    throw new CliError(`plugin ${spec}: package not found from ${baseDir} (install it, or pass a path such as ./my-plugin.mjs)`);
  }
}

/** The ESM entry file of a package directory: exports["."] (import/default), then module/main, then index.*. */
function packageEntry(dir: string, spec: string): string {
  const pkgFile = join(dir, "package.json");
  if (existsSync(pkgFile)) {
    let pkg: Record<string, unknown>;
    try {
      pkg = JSON.parse(readFileSync(pkgFile, "utf8"));
    } catch (err) {
      throw new CliError(`plugin ${spec}: ${pkgFile} is not valid JSON (${(err as Error).message})`);
    }
    const target = exportTarget(pkg.exports) ?? (pkg.module as string | undefined) ?? (pkg.main as string | undefined);
    if (target) {
      const file = resolve(dir, target);
      if (!existsSync(file)) throw new CliError(`plugin ${spec}: ${pkgFile} points at ${target}, which does not exist (not built yet?)`);
      return file;
    }
  }
  for (const name of ["index.mjs", "index.js", "index.cjs"]) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  throw new CliError(`plugin ${spec}: ${dir} has no entry point (expected package.json "exports"/"main", or index.mjs)`);
}

function exportTarget(exports: unknown): string | undefined {
  if (typeof exports === "string") return exports;
  if (!exports || typeof exports !== "object") return undefined;
  const map = exports as Record<string, unknown>;
  const root = "." in map ? map["."] : map;
  if (typeof root === "string") return root;
  if (root && typeof root === "object") {
    const cond = root as Record<string, unknown>;
    for (const key of ["import", "node", "default", "require"]) {
      const v = cond[key];
      if (typeof v === "string") return v;
      if (v && typeof v === "object") {
        const nested = exportTarget({ ".": v });
        if (nested) return nested;
      }
    }
  }
  return undefined;
}
