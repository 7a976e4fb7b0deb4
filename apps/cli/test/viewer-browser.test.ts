/**
 * The viewer page in a real headless browser (Debian Chromium driven by playwright-core), on real traces: a tiny
 * untrained TRM evaluated with tracing on a generated 4×4 Sudoku split and on an ARC split built from the ARC
 * package's fixtures. It steps through the supervision steps and checks what is drawn against the trace.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRegistry, evaluate, initEngine, readPuzzleDataset, tf } from "@recurse/core";
import { trm } from "@recurse/trm";
import { sudokuDataset } from "@recurse/datasets-sudoku";
import { ARC_PALETTE, arcDataset } from "@recurse/datasets-arc";
import type { Browser, Page } from "playwright-core";
import { buildTrace } from "../src/trace/build-trace";
import { renderInfoFor } from "../src/trace/render-info";
import type { TraceFile } from "../src/trace/trace-schema";
import { writeTrace } from "../src/trace/write-traces";
import { startViewer, type ViewerServer } from "../src/viewer/server";
import { directoryTraceSource } from "../src/viewer/trace-source";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const repo = fileURLToPath(new URL("../../..", import.meta.url));
const IGNORE = -100;

async function realTrace(kind: "sudoku" | "arc", dataDir: string, overrides: Record<string, unknown>, limit: number, steps: number): Promise<TraceFile> {
  const split = await readPuzzleDataset(dataDir, "test");
  const m = split.metadata;
  const model = createRegistry()
    .use(trm)
    .architectures.create("trm", {
      preset: "tiny",
      overrides: { vocabSize: m.vocabSize, seqLen: m.seqLen, numPuzzleIdentifiers: m.numPuzzleIdentifiers, haltMaxSteps: steps, ...overrides },
    });
  try {
    const output = await evaluate(model, split, { trace: true, limit, steps });
    return buildTrace(output, {
      model: { name: `trm-${kind}` },
      dataset: { name: kind, kind, split: "test", metadata: m },
      render: renderInfoFor(kind, m, ARC_PALETTE),
      limit,
    });
  } finally {
    model.dispose();
  }
}

/** Cells drawn in one grid: [row, col, text, classes, inline background]. */
async function cells(page: Page, grid: string) {
  return page.$$eval(`#grid-${grid} .cell`, (els) =>
    els.map((e) => ({
      row: Number((e as HTMLElement).dataset.row),
      col: Number((e as HTMLElement).dataset.col),
      token: Number((e as HTMLElement).dataset.token),
      text: e.textContent ?? "",
      classes: [...e.classList],
      background: getComputedStyle(e).backgroundColor,
    })),
  );
}

function hexToRgb(hex: string): string {
  return `rgb(${parseInt(hex.slice(1, 3), 16)}, ${parseInt(hex.slice(3, 5), 16)}, ${parseInt(hex.slice(5, 7), 16)})`;
}

describe.skipIf(!hasChromium)("viewer page in Chromium", () => {
  let work: string;
  let viewer: ViewerServer;
  let browser: Browser;
  let page: Page;
  let sudoku: TraceFile;
  let arc: TraceFile;

  beforeAll(async () => {
    await initEngine("wasm");
    work = mkdtempSync(join(tmpdir(), "recurse-viewer-"));
    const sudokuDir = join(work, "sudoku4");
    await sudokuDataset.build(sudokuDataset.buildSchema.parse({ generate: { count: 8, size: 4, givens: 7, testCount: 6 }, seed: 3, out: sudokuDir }));
    const arcDir = join(work, "arc");
    await arcDataset.build(arcDataset.buildSchema.parse({ inputs: [join(repo, "packages/datasets-arc/fixtures/arc-agi-1")], augmentations: 0, seed: 0, out: arcDir }));
    const before = tf.memory().numTensors;
    sudoku = await realTrace("sudoku", sudokuDir, { hiddenSize: 16 }, 4, 4);
    arc = await realTrace("arc", arcDir, { hiddenSize: 16, layers: 1, cycles: 1, latentSteps: 1 }, 2, 2);
    expect(tf.memory().numTensors).toBe(before);
    const results = join(work, "results");
    await writeTrace(results, sudoku);
    await writeTrace(results, arc);
    viewer = await startViewer({ root: results, traces: directoryTraceSource(results) });
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
    (page as unknown as { errors: string[] }).errors = errors;
  });

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("draws the Sudoku input, target and each step's answer with changed and wrong cells and q_halt", async () => {
    await page.goto(`${viewer.url}?trace=trm-sudoku--sudoku`);
    await page.waitForSelector("body[data-ready='1']");
    expect(await page.$$eval("#trace-select option", (o) => o.map((x) => x.textContent))).toEqual(["trm-arc × arc", "trm-sudoku × sudoku"]);
    expect(await page.$$eval("#puzzle-list button", (b) => b.length)).toBe(sudoku.examples.length);
    const digit = (t: number) => (t >= 2 ? String(t - 1) : "");

    // Pick the example whose answers change the most between steps, so the highlights are exercised.
    const changes = (ex: TraceFile["examples"][number], k: number) => ex.steps[k].prediction.filter((t, i) => t !== ex.steps[k - 1].prediction[i]).length;
    let best = { e: 0, total: -1 };
    sudoku.examples.forEach((ex, e) => {
      const total = ex.steps.slice(1).reduce((n, _, k) => n + changes(ex, k + 1), 0);
      if (total > best.total) best = { e, total };
    });
    expect(best.total, "an untrained TRM's answers should move between steps").toBeGreaterThan(0);
    await page.click(`#puzzle-list button[data-example='${best.e}']`);
    const ex = sudoku.examples[best.e];

    const input = await cells(page, "input");
    expect(input).toHaveLength(16);
    expect(input.map((c) => c.text)).toEqual(ex.inputs.map(digit));
    expect(input.filter((c) => c.classes.includes("given")).length).toBe(ex.inputs.filter((t) => t >= 2).length);
    // 2x2 boxes: a thick line right of column 1 and below row 1.
    expect(input.filter((c) => c.classes.includes("box-right")).map((c) => c.col)).toEqual([1, 1, 1, 1]);
    expect(input.filter((c) => c.classes.includes("box-bottom")).map((c) => c.row)).toEqual([1, 1, 1, 1]);
    expect((await cells(page, "target")).map((c) => c.text)).toEqual(ex.labels.map(digit));

    for (let k = 0; k < ex.steps.length; k++) {
      if (k > 0) await page.click("#next");
      const step = ex.steps[k];
      expect(await page.getAttribute("body", "data-step")).toBe(String(k + 1));
      const answer = await cells(page, "answer");
      expect(answer.map((c) => c.token)).toEqual(step.prediction);
      const wrong = step.prediction.map((t, i) => (ex.labels[i] !== IGNORE && t !== ex.labels[i] ? i : -1)).filter((i) => i >= 0);
      expect(answer.flatMap((c, i) => (c.classes.includes("wrong") ? [i] : []))).toEqual(wrong);
      const changed = k === 0 ? [] : step.prediction.map((t, i) => (t !== ex.steps[k - 1].prediction[i] ? i : -1)).filter((i) => i >= 0);
      expect(answer.flatMap((c, i) => (c.classes.includes("changed") ? [i] : []))).toEqual(changed);
      expect(await page.textContent("[data-stat='q-halt']")).toBe(`q_halt ${step.qHalt.toFixed(3)}`);
      expect(await page.textContent("[data-stat='p-halt']")).toBe(`p(halt) ${(1 / (1 + Math.exp(-step.qHalt))).toFixed(3)}`);
      expect(await page.textContent("[data-stat='wrong']")).toBe(`${wrong.length} cell(s) wrong`);
      expect(await page.textContent("[data-stat='changed']")).toBe(k === 0 ? "first step" : `${changed.length} cell(s) changed`);
      expect(await page.textContent("[data-stat='correct']")).toBe(step.correct ? "correct" : "not correct");
      expect(await page.$eval("#steps-table tbody tr.current td", (td) => td.textContent)).toBe(String(k + 1));
    }
    // The table lists every step's q_halt; the chart plots the per-step accuracy of the trace.
    expect(await page.$$eval("#steps-table tbody tr td:nth-child(2)", (tds) => tds.map((t) => t.textContent))).toEqual(ex.steps.map((s) => s.qHalt.toFixed(3)));
    const chartData = await page.evaluate(() => (window as unknown as { recurseViewer: { chart: { data: { datasets: { data: number[] }[] } } } }).recurseViewer.chart.data.datasets[0].data);
    expect(chartData).toEqual(sudoku.stepAccuracy);
    // Keyboard and first/last buttons.
    await page.click("#first");
    expect(await page.getAttribute("body", "data-step")).toBe("1");
    await page.keyboard.press("End");
    expect(await page.getAttribute("body", "data-step")).toBe(String(ex.steps.length));
    expect((page as unknown as { errors: string[] }).errors).toEqual([]);
  });

  it("draws ARC grids cropped to their content in the canonical palette", async () => {
    await page.goto(`${viewer.url}?trace=trm-arc--arc`);
    await page.waitForSelector("body[data-ready='1']");
    const ex = arc.examples[0];
    const input = await cells(page, "input");
    // The crop: the bounding box of colour tokens (2..11) of the 30×30 canvas.
    const colourCells = ex.inputs.map((t, i) => (t >= 2 ? i : -1)).filter((i) => i >= 0);
    const rows = Math.max(...colourCells.map((i) => Math.floor(i / 30))) + 1;
    const cols = Math.max(...colourCells.map((i) => i % 30)) + 1;
    expect(input).toHaveLength(rows * cols);
    for (const c of input) {
      const token = ex.inputs[c.row * 30 + c.col];
      expect(c.token).toBe(token);
      if (token >= 2) expect(c.background).toBe(hexToRgb(ARC_PALETTE[token - 2]));
      else expect(c.classes).toContain("empty");
    }
    // Both the first and the last step show the prediction over the target's region at least.
    await page.keyboard.press("End");
    const answer = await cells(page, "answer");
    const last = ex.steps[ex.steps.length - 1];
    for (const c of answer) expect(c.token).toBe(last.prediction[c.row * 30 + c.col]);
    const wrongDrawn = answer.filter((c) => c.classes.includes("wrong")).length;
    const wrongInView = answer.filter((c) => ex.labels[c.row * 30 + c.col] !== IGNORE && c.token !== ex.labels[c.row * 30 + c.col]).length;
    expect(wrongDrawn).toBe(wrongInView);
    expect(await page.textContent("[data-stat='q-halt']")).toBe(`q_halt ${last.qHalt.toFixed(3)}`);
    expect((page as unknown as { errors: string[] }).errors).toEqual([]);
  });

  it("shows how to make traces when a directory has none", async () => {
    const empty = mkdtempSync(join(work, "empty-"));
    const v = await startViewer({ root: empty, traces: directoryTraceSource(empty, "No viewer traces here; run recurse eval first.") });
    try {
      await page.goto(v.url);
      await page.waitForSelector("body[data-ready='1']");
      expect(await page.isVisible("#message")).toBe(true);
      expect(await page.textContent("#message")).toContain("run recurse eval first");
    } finally {
      await v.close();
    }
  });
});

if (!hasChromium) {
  describe("viewer page in Chromium", () => {
    it.skip(`skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`, () => {});
  });
}
