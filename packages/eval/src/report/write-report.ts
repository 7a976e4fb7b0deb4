import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, relative as relativePath, resolve } from "node:path";
import { ConfigError } from "@recurse/core";
import { reportHtml } from "./html";
import { resultsMarkdown } from "./markdown";
import { resultsJson } from "./results-io";
import type { Results } from "./results-schema";

/** Results plus the artifact files the evaluators asked for (path relative to the report directory → JSON). */
export interface ComparisonRun {
  results: Results;
  artifacts: Record<string, unknown>;
}

/** Paths written by {@link writeReport}. */
export interface ReportFiles {
  resultsJson: string;
  resultsMd: string;
  reportHtml: string;
  artifacts: string[];
}

/**
 * Write a report directory: `results.json` (validated), `results.md`, `report.html`, and the artifacts
 * (e.g. `submission.json`).
 *
 * @example
 * ```ts
 * const run = await compare([{ name: "trm", model }], [{ name: "sudoku", split, identifiers }]);
 * await writeReport("results/", run);
 * ```
 */
export async function writeReport(
  dir: string,
  run: ComparisonRun | Results,
  options: { columns?: string[] | "all"; title?: string } = {},
): Promise<ReportFiles> {
  const { results, artifacts } = "results" in run ? run : { results: run, artifacts: {} };
  await mkdir(dir, { recursive: true });
  const files: ReportFiles = {
    resultsJson: join(dir, "results.json"),
    resultsMd: join(dir, "results.md"),
    reportHtml: join(dir, "report.html"),
    artifacts: [],
  };
  await writeFile(files.resultsJson, resultsJson(results));
  await writeFile(files.resultsMd, resultsMarkdown(results, options));
  await writeFile(files.reportHtml, reportHtml(results, options));
  for (const [relative, value] of Object.entries(artifacts)) {
    const path = join(dir, relative);
    const inside = relativePath(resolve(dir), resolve(path));
    if (!inside || inside.startsWith("..") || resolve(inside) === inside) {
      throw new ConfigError(`artifact path ${JSON.stringify(relative)} leaves the report directory`, { field: "artifacts", expected: "a relative path inside it" });
    }
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify(value));
    files.artifacts.push(path);
  }
  return files;
}
