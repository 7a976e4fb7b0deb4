import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { RecurseError } from "@recurse/core";

let cached: string | undefined;

/**
 * The chart.js UMD build, read from the installed package so report.html can inline it and work offline. chart.js
 * does not export its dist files, so the path is found next to the entry that `require` resolves.
 */
export function chartJsSource(): string {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve("chart.js");
  } catch (cause) {
    throw new RecurseError("E_DEPENDENCY", "chart.js is not installed; report.html needs it (npm install chart.js@4)", { cause });
  }
  const dist = dirname(entry);
  for (const file of ["chart.umd.min.js", "chart.umd.js"]) {
    try {
      cached = readFileSync(join(dist, file), "utf8");
      return cached;
    } catch {
      // try the next build
    }
  }
  throw new RecurseError("E_DEPENDENCY", `chart.js at ${dist} has no UMD build (chart.umd.min.js); install chart.js@4`);
}
