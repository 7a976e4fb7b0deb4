import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { EvaluatorSpec } from "@recurse/core";
import {
  compare,
  defaultEvaluators,
  jsonForScript,
  parseResults,
  readResults,
  reportHtml,
  resultsMarkdown,
  resultsTable,
  writeReport,
} from "@recurse/eval";
import { toyModel, toyRunner, toySplit } from "./toy-engine";

const fast = toyModel("toy-fast", (e) => (e % 4 === 0 ? 0 : 1));
// A name that tries to break out of the embedded JSON and the table.
const evil = "</script><script>window.pwned=1</script><!--|";
const slow = toyModel("toy-slow", (e) => 1 + (e % 3));
const dir = mkdtempSync(join(tmpdir(), "recurse-eval-report-"));
afterAll(() => {
  fast.dispose();
  slow.dispose();
  rmSync(dir, { recursive: true, force: true });
});

// A user evaluator from a plugin: one metric and one artifact file.
const notes: EvaluatorSpec = {
  id: "notes",
  description: "test evaluator with an artifact",
  evaluate: (output) => ({ examples_seen: output.numExamples, artifacts: { "notes.json": { n: output.numExamples } } }),
};

const runP = compare(
  [
    { name: "fast", model: fast },
    { name: evil, model: slow },
  ],
  [{ name: "toy", split: toySplit(12) }],
  { runner: toyRunner, evaluators: [...defaultEvaluators(), notes] },
);

describe("results.json", () => {
  it("round-trips through its zod schema, with artifacts written beside it", async () => {
    const run = await runP;
    const files = await writeReport(dir, run);
    const back = await readResults(files.resultsJson);
    expect(back).toEqual(run.results);
    expect(JSON.parse(readFileSync(files.resultsJson, "utf8")).schema).toBe("recurse.results/1");
    // notes.json is produced by two entries, so each goes under <model>/<dataset>/
    expect(run.results.entries[0].artifacts).toEqual(["fast/toy/notes.json"]);
    const evilPath = run.results.entries[1].artifacts[0];
    expect(evilPath).toMatch(/^[A-Za-z0-9._-]+\/toy\/notes\.json$/); // one safe segment for the name
    expect(evilPath.startsWith(".")).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, "fast/toy/notes.json"), "utf8"))).toEqual({ n: 12 });
    expect(back.entries[0].metrics.examples_seen).toBe(12);
    expect(back.entries[0].evaluators.notes).toEqual({ examples_seen: 12 }); // artifacts kept out of results.json
    expect(existsSync(files.resultsMd) && existsSync(files.reportHtml)).toBe(true);
  });

  it("names the field and file of an invalid results file", async () => {
    const { results } = await runP;
    const bad = JSON.parse(JSON.stringify(results));
    bad.entries[1].metrics.exact_accuracy = "high";
    expect(() => parseResults(bad, "r.json")).toThrow(/r\.json: entries\[1\]\.metrics\.exact_accuracy/);
    expect(() => parseResults({ ...results, schema: "recurse.results/9" }, "r.json")).toThrow(/unsupported results schema "recurse\.results\/9"/);
    expect(() => parseResults({ ...results, entries: [{ ...results.entries[0], model: "ghost" }] })).toThrow(/unknown model 'ghost'/);
  });
});

describe("results.md and the terminal table", () => {
  it("has one row per model × dataset with the metric values", async () => {
    const { results } = await runP;
    const md = resultsMarkdown(results);
    const header = md.split("\n").find((l) => l.startsWith("| Model | Dataset | Examples |"))!;
    expect(header).toContain("exact_accuracy");
    expect(header).toContain("mean_first_halt_step");
    // fast: examples 0, 4, 8 of 12 never solved -> 0.7500 with a standard error of sqrt(0.75 * 0.25 / 11)
    expect(md).toContain(`| fast | toy | 12 | 0.7500 ± ${Math.sqrt(0.1875 / 11).toFixed(4)} |`);
    // the pipe in the evil name is escaped so the table keeps its columns
    expect(md).toContain("&lt;!--\\| | toy | 12 | 1.0000 ± 0.0000 |");
    expect(md).not.toContain("<script>"); // raw HTML in names is escaped for markdown renderers
    expect(md).toContain("## Exact accuracy by supervision step");
    // slow, after steps 1, 2, 3: e % 3 === 0, then < 2, then all
    expect(md).toContain("| toy | 0.3333 | 0.6667 | 1.0000 |");
  });

  it("aligns a plain terminal table", async () => {
    const { results } = await runP;
    const lines = resultsTable(results, { columns: ["exact_accuracy", "mean_steps"] }).split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^model\s+dataset\s+examples\s+exact_accuracy\s+mean_steps$/);
    expect(lines[1]).toMatch(/^fast\s+toy\s+12\s+0\.7500 ± 0\.1306\s+3$/);
    const end = (l: string) => l.length;
    expect(end(lines[1])).toBe(end(lines[2])); // right-aligned figures end in the same column
  });
});

describe("report.html", () => {
  const scripts = (html: string) => [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1], body: m[2] }));

  it("embeds the results as JSON that reads back unchanged", async () => {
    const { results } = await runP;
    const html = reportHtml(results);
    const data = scripts(html).find((s) => s.attrs.includes('id="recurse-results"'))!;
    expect(JSON.parse(data.body)).toEqual(results);
  });

  it("cannot be broken out of by names: exactly three script elements, names escaped in the table", async () => {
    const { results } = await runP;
    const html = reportHtml(results);
    expect(html.match(/<script/gi)).toHaveLength(3);
    expect(html.match(/<\/script>/gi)).toHaveLength(3);
    expect(html).not.toContain("window.pwned=1</script>");
    expect(html).toContain("&lt;/script&gt;&lt;script&gt;window.pwned=1");
    expect(jsonForScript({ a: "</script><!--\u2028&" })).toBe('{"a":"\\u003c/script\\u003e\\u003c!--\\u2028\\u0026"}');
  });

  it("inlines chart.js and draws charts with it, without any external resource", async () => {
    const { results } = await runP;
    const html = reportHtml(results);
    const [, chartjs, page] = scripts(html);
    expect(chartjs.attrs).toContain('id="chartjs"');
    expect(chartjs.body).toMatch(/Chart\.js v4/);
    expect(chartjs.body.length).toBeGreaterThan(100_000);
    expect(page.body).toContain("new Chart(");
    expect(html).toContain('<canvas id="curve-0"');
    expect(html).toContain('<canvas id="halt-0"');
    // No src/href attributes, stylesheet imports or url() anywhere; outside chart.js's licence banner, no URL at all.
    expect(html).not.toMatch(/\s(src|href)\s*=/i);
    expect(html).not.toMatch(/@import|[^A-Za-z]url\(/i);
    const withoutChartJs = html.replace(chartjs.body, "");
    expect(withoutChartJs).not.toMatch(/https?:\/\//);
    expect(chartjs.body.match(/https?:\/\/[^\s"']+/g)?.every((u) => /chartjs\.org|github\.com\/kurkle/.test(u))).toBe(true);
  });
});

// Drawing needs a browser; run it where chromium is installed.
const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => existsSync(p));
describe.skipIf(!chromium)("report.html in a browser", () => {
  it("draws one line chart and one bar chart per dataset, offline, with no script errors", async () => {
    const { chromium: browserType } = await import("playwright-core");
    const browser = await browserType.launch({ executablePath: chromium, args: ["--no-sandbox"] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      page.on("request", (r) => !r.url().startsWith("file:") && requests.push(r.url()));
      await page.goto(`file://${join(dir, "report.html")}`);
      const charts = await page.evaluate(() =>
        (window as any).recurseCharts.map((c: any) => ({ type: c.config.type, series: c.data.datasets.length, labels: c.data.labels.map(String) })),
      );
      expect(charts).toEqual([
        { type: "line", series: 4, labels: ["1", "2", "3"] }, // exact and token per model
        { type: "bar", series: 2, labels: ["1", "2", "3", "never"] },
      ]);
      expect(await page.evaluate(() => (window as any).pwned)).toBeUndefined();
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
