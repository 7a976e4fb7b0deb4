import { realpathSync, statSync } from "node:fs";
import { resolve, sep } from "node:path";

/** Outcome of mapping a URL path under a root directory to a file. */
export type SafePathResult = { ok: true; file: string } | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * Map the URL-encoded `urlPath` (the part after the route prefix) to a regular file inside `root`, refusing
 * everything that could leave it: `..` or `.` segments (also when percent-encoded), encoded slashes or
 * backslashes, empty segments (`//etc/passwd`), NUL bytes, and symlinks whose target lies outside the root.
 *
 * @example
 * ```ts
 * safeFilePath("/srv/results", "traces/a.json");   // { ok: true, file: "/srv/results/traces/a.json" }
 * safeFilePath("/srv/results", "%2e%2e/secret");    // { ok: false, status: 403, ... }
 * ```
 */
export function safeFilePath(root: string, urlPath: string): SafePathResult {
  const rawSegments = urlPath.split("/");
  const segments: string[] = [];
  for (const raw of rawSegments) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400, reason: "malformed percent-encoding" };
    }
    if (seg === "" || seg === "." || seg === ".." || /[\\/\0]/.test(seg) || /^[A-Za-z]:/.test(seg)) {
      return { ok: false, status: 403, reason: `refused path segment '${raw}'` };
    }
    segments.push(seg);
  }
  if (segments.length === 0) return { ok: false, status: 404, reason: "no file named" };
  const base = resolve(root);
  const lexical = resolve(base, ...segments);
  if (!lexical.startsWith(base + sep)) return { ok: false, status: 403, reason: "outside the served directory" };
  let real: string;
  let realBase: string;
  try {
    realBase = realpathSync(base);
    real = realpathSync(lexical);
  } catch {
    return { ok: false, status: 404, reason: "not found" };
  }
  if (!real.startsWith(realBase + sep)) return { ok: false, status: 403, reason: "link leads outside the served directory" };
  try {
    if (!statSync(real).isFile()) return { ok: false, status: 404, reason: "not a file" };
  } catch {
    return { ok: false, status: 404, reason: "not found" };
  }
  return { ok: true, file: real };
}
