/**
 * The built `recurse` binary as a user runs it: help, env, list, and a whole Sudoku flow (data build, train,
 * resume, eval, solve, view) on a generated 4×4 dataset with a tiny TRM on the cpu engine.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertBuilt, BIN, runBin } from "./helpers/run-bin";

let work: string;
let env: Record<string, string>;
const cli = (args: string[]) => runBin(args, { cwd: work, env });

beforeAll(() => {
  assertBuilt();
  work = mkdtempSync(join(tmpdir(), "recurse-e2e-"));
  env = { RECURSE_CACHE_DIR: join(work, "cache") };
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("recurse binary", () => {
  it("prints help with examples for every command and its version", async () => {
    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    for (const c of ["list", "data", "train", "eval", "solve", "view", "env"]) expect(help.stdout).toMatch(new RegExp(`^  ${c}\\b`, "m"));
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect((await cli(["--version"])).stdout.trim()).toBe(pkg.version);
    const sub = await cli(["data", "build", "sudoku", "--help"]);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/^Usage: recurse data build sudoku \[options\]/m);
    expect(sub.stdout).toContain("Examples:");
  });

  it("env reports versions, engine and platform, as text and JSON", async () => {
    const r = await cli(["--engine", "cpu", "env", "--json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.node).toBe(process.version);
    expect(report.engine).toMatchObject({ requested: "cpu", selected: "cpu", backend: "cpu" });
    expect(report.recurse["@recurse/core"]).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.tfjs.tfjs).toBe("4.22.0");
    expect(report.plugins.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(["@recurse/trm", "@recurse/datasets-sudoku", "@recurse/eval"]));
  });

  it("list shows architectures with presets, datasets, evaluators and plugins", async () => {
    const r = await cli(["list", "--json", "--no-params"]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    const trm = list.architectures.find((a: { id: string }) => a.id === "trm");
    expect(trm.plugin).toBe("@recurse/trm");
    expect(trm.presets.map((p: { preset: string }) => p.preset)).toEqual(expect.arrayContaining(["tiny", "sudoku-mlp", "sudoku-att", "arc"]));
    expect(list.datasets.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining(["sudoku", "arc"]));
    expect(list.datasets.find((d: { id: string }) => d.id === "sudoku").options).toEqual(expect.arrayContaining(["--input", "--generate", "--size", "--givens", "--augmentations", "--seed", "--out"]));
    expect(list.evaluators.map((e: { id: string }) => e.id)).toEqual(expect.arrayContaining(["exact-accuracy", "token-accuracy"]));
  });

  it("fails with one clear line and exit code 1", async () => {
    const r = await cli(["train", "trmm", "--data", "nowhere", "--out", "runs/x"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([`recurse: error: unknown architecture "trmm"; did you mean "trm"? (known: ${r.stderr.match(/known: ([^)]*)/)![1]})`]);
    const debug = await runBin(["train", "trmm", "--data", "x", "--out", "y"], { cwd: work, env: { ...env, RECURSE_DEBUG: "1" } });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  describe("a Sudoku run from data to viewer", () => {
    const data = () => join(work, "sudoku4");
    const run = () => join(work, "runs", "trm");
    const trainArgs = ["--engine", "wasm", "train", "trm", "--data", "sudoku4", "--preset", "tiny", "--set", "hiddenSize=16", "--set", "haltMaxSteps=2", "--batch-size", "8", "--lr", "3e-3", "--eval-limit", "8", "--out", "runs/trm"];

    it("data build writes the reference layout with the dataset's sizes", async () => {
      const r = await cli(["data", "build", "sudoku", "--generate", "40", "--size", "4", "--givens", "8", "--test-count", "12", "--seed", "0", "--out", "sudoku4"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/train\s+40\s+40\s+40/);
      const meta = JSON.parse(readFileSync(join(data(), "train", "dataset.json"), "utf8"));
      expect(meta).toMatchObject({ seq_len: 16, recurse: { dataset: "sudoku", boxRows: 2, boxCols: 2 } });
      for (const f of ["inputs", "labels", "puzzle_identifiers", "puzzle_indices", "group_indices"]) expect(existsSync(join(data(), "test", `all__${f}.npy`))).toBe(true);
    });

    it("train writes a checkpoint, metrics and the run record; --resume continues to more steps", async () => {
      const r = await cli([...trainArgs, "--steps", "2"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/trained trm for 2 steps/);
      expect(r.stderr).toMatch(/^train: 2\/2 steps/m);
      const record = JSON.parse(readFileSync(join(run(), "recurse-run.json"), "utf8"));
      expect(record).toMatchObject({ schema: "recurse.run/1", architecture: "trm", preset: "tiny", datasetKind: "sudoku", config: { seqLen: 16, vocabSize: 6, hiddenSize: 16 } });
      const again = await cli([...trainArgs, "--steps", "2"]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain("already holds a run; pass --resume");
      const resumed = await cli([...trainArgs, "--steps", "3", "--resume"]);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toContain("resuming runs/trm at step 2 of 3");
      const steps = readFileSync(join(run(), "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l)).filter((m) => m.type === "train").map((m) => m.step);
      expect(steps).toEqual([1, 2, 3]);
    });

    it("eval writes results.json/md, report.html and a viewer trace, and prints the table", async () => {
      const r = await cli(["--engine", "wasm", "eval", "--model", "runs/trm", "--data", "sudoku4", "--limit", "6", "--trace-limit", "3", "--out", "results"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^model\s+dataset\s+examples\s+exact_accuracy/m);
      expect(r.stdout).toMatch(/^trm\s+sudoku4\s+6\s/m);
      const results = JSON.parse(readFileSync(join(work, "results", "results.json"), "utf8"));
      expect(results.entries).toHaveLength(1);
      expect(results.models[0]).toMatchObject({ name: "trm", architecture: "trm" });
      for (const f of ["results.md", "report.html"]) expect(existsSync(join(work, "results", f))).toBe(true);
      const trace = JSON.parse(readFileSync(join(work, "results", "traces", "trm--sudoku4.json"), "utf8"));
      expect(trace).toMatchObject({ schema: "recurse.trace/1", numSteps: 2, evaluatedExamples: 6, render: { kind: "sudoku", rows: 4, cols: 4, box: [2, 2] } });
      expect(trace.examples).toHaveLength(3);
      expect(trace.examples[0].steps).toHaveLength(2);
      expect(trace.examples[0].inputs).toHaveLength(16);
      // The trace's final-step accuracy is the evaluation's exact accuracy.
      expect(trace.stepAccuracy[1]).toBeCloseTo(results.entries[0].metrics.exact_accuracy, 10);
    });

    it("solve prints every step with q_halt", async () => {
      const r = await cli(["--engine", "wasm", "solve", "--model", "runs/trm", "--puzzle", "1..4.41...4.4..1", "--json"]);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.steps.map((s: { step: number }) => s.step)).toEqual([1, 2]);
      for (const s of out.steps) {
        expect(s.prediction).toHaveLength(16);
        expect(s.haltProbability).toBeCloseTo(1 / (1 + Math.exp(-s.qHalt)), 6);
      }
    });

    /** Start `recurse view ...args`, return its /api/info, then stop it with SIGTERM and check it exits cleanly. */
    async function viewInfo(args: string[]): Promise<{ traces: { id: string; examples: number }[]; message: string | null }> {
      const child = spawn(process.execPath, [BIN, "view", ...args], { cwd: work, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
      let err = "";
      child.stderr.setEncoding("utf8").on("data", (c) => (err += c));
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.setEncoding("utf8").on("data", (c) => {
          out += c;
          const m = out.match(/viewer: (http:\/\/127\.0\.0\.1:\d+\/)/);
          if (m) resolve(m[1]);
        });
        child.on("close", (code) => reject(new Error(`view exited with ${code} before serving: ${err}`)));
      });
      const info = await new Promise<string>((resolve, reject) => {
        request(`${url}api/info`, (res) => {
          let body = "";
          res.on("data", (c) => (body += c)).on("end", () => resolve(body));
        })
          .on("error", reject)
          .end();
      });
      const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
      child.kill("SIGTERM");
      expect(await closed).toBe(0);
      return JSON.parse(info);
    }

    it("view serves the results on 127.0.0.1 and stops on SIGTERM", async () => {
      const info = await viewInfo(["results", "--port", "0"]);
      expect(info.traces.map((t) => t.id)).toEqual(["trm--sudoku4"]);
    });

    it("view on a run directory evaluates a few examples to make a trace", async () => {
      const info = await viewInfo(["--engine", "wasm", "runs/trm", "--limit", "3"]);
      expect(info.traces).toEqual([expect.objectContaining({ id: "trm--sudoku4", examples: 3 })]);
    });
  });
});
