/**
 * A user's own architecture, from outside the repository's packages: the built `recurse` binary loads this
 * example plugin with --plugin (and from recurse.config.json), lists it, trains it, evaluates it and solves with
 * it, on a generated 4×4 Sudoku dataset. Nothing in the repository knows about `grr`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRegistry, initEngine } from "@recurse/core";

const example = fileURLToPath(new URL("..", import.meta.url));
const bin = fileURLToPath(new URL("../../../apps/cli/dist/bin.js", import.meta.url));
let work: string;

function recurse(args: string[], cwd = work): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd,
      env: { ...process.env, RECURSE_DEBUG: "", RECURSE_CACHE_DIR: join(work, "cache") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build it first with npx turbo run build --filter=@recurse/cli...`);
  work = mkdtempSync(join(tmpdir(), "recurse-example-"));
  const r = await recurse(["data", "build", "sudoku", "--generate", "24", "--size", "4", "--givens", "8", "--test-count", "8", "--seed", "5", "--out", "sudoku4"]);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the custom-reasoner example plugin through the recurse CLI", () => {
  it("recurse --plugin <dir> list shows grr, from the plugin, with parameter counts of its presets", async () => {
    const r = await recurse(["--engine", "cpu", "--plugin", example, "list", "grr", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const [grr] = JSON.parse(r.stdout).architectures;
    expect(grr).toMatchObject({ id: "grr", plugin: "@recurse/example-custom-reasoner", defaultPreset: "tiny" });
    // The counts are the sizes of the parameters of the models the presets build.
    await initEngine("cpu");
    const { plugin } = await import("../index.mjs");
    const registry = createRegistry().use(plugin);
    for (const p of grr.presets as { preset: string; parameters: number }[]) {
      const model = registry.architectures.create("grr", { preset: p.preset });
      const n = [...model.parameters().values()].reduce((s, v) => s + v.size, 0);
      model.dispose();
      expect(p.parameters, p.preset).toBe(n);
    }
    // The counts were cached by resolved config.
    const cached = Object.values(JSON.parse(readFileSync(join(work, "cache", "parameter-counts.json"), "utf8")));
    expect(cached.sort()).toEqual(grr.presets.map((p: { parameters: number }) => p.parameters).sort());
  });

  it("recurse.config.json in the working directory registers it too", async () => {
    const project = mkdtempSync(join(work, "project-"));
    writeFileSync(join(project, "recurse.config.json"), JSON.stringify({ plugins: [example], engine: "cpu" }));
    const r = await recurse(["list", "--json", "--no-params"], project);
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.architectures.map((a: { id: string }) => a.id)).toContain("grr");
    expect(list.plugins.find((p: { name: string }) => p.name === "@recurse/example-custom-reasoner")).toMatchObject({ origin: "config", architectures: ["grr"] });
    // Without the plugin, grr is unknown, and the error says what is known.
    const without = await recurse(["train", "grr", "--data", "sudoku4", "--out", "runs/x"]);
    expect(without.code).toBe(1);
    expect(without.stderr.trim()).toMatch(/^recurse: error: unknown architecture "grr" .*known: trm/);
  });

  it("trains, evaluates and solves with grr", async () => {
    const plugin = ["--engine", "wasm", "--plugin", example];
    const train = await recurse([...plugin, "train", "grr", "--data", "sudoku4", "--set", "hiddenSize=16", "--set", "haltMaxSteps=2", "--steps", "3", "--batch-size", "8", "--lr", "3e-3", "--eval-limit", "8", "--out", "runs/grr"]);
    expect(train.code, train.stderr).toBe(0);
    expect(train.stdout).toMatch(/^trained grr for 3 steps/m);
    const checkpointConfig = JSON.parse(readFileSync(join(work, "runs/grr/checkpoint/config.json"), "utf8"));
    expect(checkpointConfig).toMatchObject({ architecture: "grr", config: { hiddenSize: 16, seqLen: 16, vocabSize: 6 }, step: 3 });
    const losses = readFileSync(join(work, "runs/grr/metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l)).filter((m) => m.type === "train").map((m) => m.loss);
    expect(losses).toHaveLength(3);
    for (const l of losses) expect(Number.isFinite(l)).toBe(true);

    // Evaluated next to a TRM trained the same way, on the same examples.
    const trm = await recurse(["--engine", "wasm", "train", "trm", "--data", "sudoku4", "--set", "hiddenSize=16", "--set", "haltMaxSteps=2", "--steps", "1", "--batch-size", "8", "--eval-limit", "4", "--out", "runs/trm"]);
    expect(trm.code, trm.stderr).toBe(0);
    const ev = await recurse([...plugin, "eval", "--model", "runs/grr", "--model", "runs/trm", "--data", "sudoku4", "--trace-limit", "2", "--out", "results"]);
    expect(ev.code, ev.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(work, "results", "results.json"), "utf8"));
    expect(results.models.map((m: { name: string; architecture: string }) => [m.name, m.architecture])).toEqual([["grr", "grr"], ["trm", "trm"]]);
    expect(results.entries.map((e: { examples: number }) => e.examples)).toEqual([8, 8]);
    expect(ev.stdout).toMatch(/^grr\s+sudoku4\s+8\s/m);
    const trace = JSON.parse(readFileSync(join(work, "results", "traces", "grr--sudoku4.json"), "utf8"));
    expect(trace).toMatchObject({ schema: "recurse.trace/1", model: { name: "grr", architecture: "grr" }, numSteps: 2 });

    // Evaluating grr without its plugin says which plugin to load.
    const missing = await recurse(["--engine", "wasm", "eval", "--model", "runs/grr", "--data", "sudoku4", "--out", "results2"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/architecture 'grr' is not registered .*load its plugin with --plugin/);

    const solve = await recurse([...plugin, "solve", "--model", "runs/grr", "--puzzle", "1..4.41...4.4..1", "--json"]);
    expect(solve.code, solve.stderr).toBe(0);
    expect(JSON.parse(solve.stdout).steps).toHaveLength(2);
  });
});
