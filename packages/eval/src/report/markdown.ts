import { formatMetric, formatValue, selectColumns } from "./columns";
import type { Results } from "./results-schema";

// Pipes would split the cell; raw HTML in a name would be rendered by markdown viewers.
const cell = (s: string) =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/\r?\n/g, " ");
const row = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
const rule = (align: ("l" | "r")[]) => `|${align.map((a) => (a === "r" ? "---:" : "---")).join("|")}|`;

/**
 * The provenance line every report starts with: date, git revision, engine, versions.
 *
 * @example
 * ```ts
 * provenanceLine(results); // "2026-01-01T00:00:00Z · git 1c1669f (dirty) · engine wasm (2 thread(s)) · ..."
 * ```
 */
export function provenanceLine(results: Results): string {
  const git = results.git.revision ? `${results.git.revision.slice(0, 12)}${results.git.dirty ? " (dirty)" : ""}` : "unknown";
  const engine = results.engine ? `${results.engine.engine} (${results.engine.threads} thread(s))` : "unknown";
  const versions = Object.entries(results.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return `${results.createdAt} · git ${git} · engine ${engine} · ${versions} · ${results.wallTimeSeconds.toFixed(1)} s`;
}

/**
 * results.md: a comparison table in the lm-evaluation-harness style (one row per model × dataset, one column per
 * metric, standard errors after ±), then exact accuracy per supervision step, then the models and datasets.
 *
 * @example
 * ```ts
 * await writeFile("results.md", resultsMarkdown(results));
 * ```
 */
export function resultsMarkdown(results: Results, options: { columns?: string[] | "all" } = {}): string {
  const columns = selectColumns(results, options.columns);
  const out: string[] = ["# Recurse evaluation results", "", provenanceLine(results), ""];
  out.push(row(["Model", "Dataset", "Examples", ...columns]), rule(["l", "l", "r", ...columns.map(() => "r" as const)]));
  for (const e of results.entries) out.push(row([e.model, e.dataset, String(e.examples), ...columns.map((c) => formatMetric(e.metrics, c))]));

  const curved = results.entries.filter((e) => e.curve);
  if (curved.length) {
    const steps = [...new Set(curved.flatMap((e) => e.curve!.step))].sort((a, b) => a - b);
    out.push("", "## Exact accuracy by supervision step", "");
    out.push(row(["Model", "Dataset", ...steps.map(String)]), rule(["l", "l", ...steps.map(() => "r" as const)]));
    for (const e of curved) {
      const at = new Map(e.curve!.step.map((s, k) => [s, e.curve!.exact_accuracy[k]]));
      out.push(row([e.model, e.dataset, ...steps.map((s) => formatValue(at.get(s), true))]));
    }
  }

  out.push("", "## Models", "", row(["Model", "Architecture", "Parameters", "Source"]), rule(["l", "l", "r", "l"]));
  for (const m of results.models) out.push(row([m.name, m.architecture, m.parameterCount.toLocaleString("en-US"), m.source ?? ""]));
  out.push("", "## Datasets", "", row(["Dataset", "Kind", "Examples", "Puzzles", "Groups", "Sequence length", "Vocabulary"]));
  out.push(rule(["l", "l", "r", "r", "r", "r", "r"]));
  for (const d of results.datasets) {
    const examples = d.examples === d.totalExamples ? String(d.examples) : `${d.examples} of ${d.totalExamples}`;
    out.push(row([d.name, d.kind ?? "", examples, String(d.puzzles), String(d.groups), String(d.seqLen), String(d.vocabSize)]));
  }
  const o = results.options;
  out.push("", `Options: steps ${o.steps ?? "model default"}, limit ${o.limit ?? "none"}, seed ${o.seed}, batch size ${o.batchSize}, trace ${o.trace}, evaluators ${o.evaluators.join(", ")}.`, "");
  return out.join("\n");
}
