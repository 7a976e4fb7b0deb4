import { chartJsSource } from "./chartjs-source";
import { formatMetric, formatValue, selectColumns } from "./columns";
import { CHARTS_SCRIPT } from "./html-charts-script";
import { escapeHtml, jsonForScript, scriptForHtml } from "./html-escape";
import { provenanceLine } from "./markdown";
import type { Results } from "./results-schema";

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; } h3 { font-size: 1rem; }
.meta { color: #666; font-size: 12px; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem; }
.chart { position: relative; width: 560px; height: 320px; }
`;

function table(header: string[], rows: string[][], numeric: (c: number) => boolean): string {
  const th = header.map((h, c) => `<th${numeric(c) ? ' class="n"' : ""}>${escapeHtml(h)}</th>`).join("");
  const trs = rows.map((r) => `<tr>${r.map((v, c) => `<td${numeric(c) ? ' class="n"' : ""}>${escapeHtml(v)}</td>`).join("")}</tr>`);
  return `<table><thead><tr>${th}</tr></thead><tbody>${trs.join("")}</tbody></table>`;
}

/**
 * report.html: one self-contained page (no network access needed) with the comparison table and, per dataset,
 * charts of accuracy vs supervision step and of halting, drawn by chart.js, whose UMD build is inlined. The results
 * are embedded as escaped JSON in `<script type="application/json" id="recurse-results">`.
 *
 * @example
 * ```ts
 * await writeFile("report.html", reportHtml(results));
 * ```
 */
export function reportHtml(results: Results, options: { columns?: string[] | "all"; title?: string } = {}): string {
  const title = options.title ?? "Recurse evaluation results";
  const columns = selectColumns(results, options.columns);
  const comparison = table(
    ["Model", "Dataset", "Examples", ...columns],
    results.entries.map((e) => [e.model, e.dataset, String(e.examples), ...columns.map((c) => formatMetric(e.metrics, c))]),
    (c) => c >= 2,
  );
  const models = table(
    ["Model", "Architecture", "Parameters", "Source"],
    results.models.map((m) => [m.name, m.architecture, m.parameterCount.toLocaleString("en-US"), m.source ?? ""]),
    (c) => c === 2,
  );
  const sections = results.datasets.map((d, i) => {
    const entries = results.entries.filter((e) => e.dataset === d.name);
    const charts: string[] = [];
    if (entries.some((e) => e.curve)) charts.push(`<div class="chart"><canvas id="curve-${i}" aria-label="accuracy by supervision step"></canvas></div>`);
    if (entries.some((e) => e.halting)) charts.push(`<div class="chart"><canvas id="halt-${i}" aria-label="halting histogram"></canvas></div>`);
    const examples = d.examples === d.totalExamples ? `${d.examples}` : `${d.examples} of ${d.totalExamples}`;
    const steps = entries.length ? ` · ${entries.map((e) => `${e.model}: ${formatValue(e.steps)} steps`).join(", ")}` : "";
    return `<section><h2>${escapeHtml(d.name)}</h2><p class="meta">${escapeHtml(`${d.kind ?? "dataset"} · ${examples} examples${steps}`)}</p>` +
      (charts.length ? `<div class="charts">${charts.join("")}</div>` : "<p>No per-step or halting data.</p>") + "</section>";
  });
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1><p class="meta">${escapeHtml(provenanceLine(results))}</p>`,
    comparison,
    ...sections,
    "<h2>Models</h2>",
    models,
    `<script type="application/json" id="recurse-results">${jsonForScript(results)}</script>`,
    `<script id="chartjs">${scriptForHtml(chartJsSource())}</script>`,
    `<script id="recurse-charts">${scriptForHtml(CHARTS_SCRIPT)}</script>`,
    "</body></html>",
    "",
  ].join("\n");
}
