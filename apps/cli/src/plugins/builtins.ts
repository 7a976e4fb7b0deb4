import type { Plugin } from "@recurse/core";
import { packageVersion } from "../util/versions";
import { assertPlugin } from "./plugin-shape";

/** The plugins shipped with the CLI, by package and export name. */
export const BUILTIN_PLUGINS: { pkg: string; exportName: string }[] = [
  { pkg: "@recurse/trm", exportName: "trm" },
  { pkg: "@recurse/hrm", exportName: "hrm" },
  { pkg: "@recurse/datasets-sudoku", exportName: "sudoku" },
  { pkg: "@recurse/datasets-arc", exportName: "arc" },
  { pkg: "@recurse/eval", exportName: "evaluators" },
];

// Literal specifiers so the bundler keeps each as its own external import.
const importers: Record<string, () => Promise<Record<string, unknown>>> = {
  "@recurse/trm": () => import("@recurse/trm"),
  "@recurse/hrm": () => import("@recurse/hrm"),
  "@recurse/datasets-sudoku": () => import("@recurse/datasets-sudoku"),
  "@recurse/datasets-arc": () => import("@recurse/datasets-arc"),
  "@recurse/eval": () => import("@recurse/eval"),
};

/**
 * Load the built-in plugins. A package that does not (yet) export its plugin is reported in `missing` rather
 * than failing every command, so the CLI stays usable while a package is incomplete.
 */
export async function loadBuiltinPlugins(): Promise<{ plugins: { plugin: Plugin; version: string | null; pkg: string }[]; missing: string[] }> {
  const plugins: { plugin: Plugin; version: string | null; pkg: string }[] = [];
  const missing: string[] = [];
  for (const { pkg, exportName } of BUILTIN_PLUGINS) {
    const mod = await importers[pkg]();
    const value = mod[exportName];
    if (value === undefined) {
      missing.push(`${pkg} (no export '${exportName}')`);
      continue;
    }
    plugins.push({ plugin: assertPlugin(value, `${pkg} (${exportName})`), version: packageVersion(pkg), pkg });
  }
  return { plugins, missing };
}
