/**
 * `runCli` in-process (the programmatic API): help texts, and the one-line errors a user gets for bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../src/run-cli";
import { captureIO } from "./helpers/capture-io";

let work: string;
async function cli(args: string[], env: Record<string, string> = {}) {
  const io = captureIO(work, { RECURSE_CACHE_DIR: join(work, "cache"), ...env });
  await new Promise((r) => setImmediate(r));
  const code = await runCli(args, io);
  await new Promise((r) => setImmediate(r)); // let the stderr stream deliver
  return { code, stdout: io.out(), stderr: io.err() };
}

/** Exit code 1 and exactly one stderr line, which matches `pattern`. */
async function failsWith(args: string[], pattern: RegExp) {
  const r = await cli(args);
  expect(r.code, args.join(" ")).toBe(1);
  const lines = r.stderr.trim().split("\n");
  expect(lines, `${args.join(" ")}: ${r.stderr}`).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "recurse-inproc-"));
  const r = await cli(["data", "build", "sudoku", "--generate", "16", "--size", "4", "--givens", "8", "--test-count", "4", "--seed", "1", "--out", "data4"]);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("help", () => {
  it("every command has a description and examples", async () => {
    for (const c of [["list"], ["data"], ["train"], ["eval"], ["solve"], ["view"], ["env"], ["data", "build", "arc"]]) {
      const r = await cli([...c, "--help"]);
      expect(r.code, c.join(" ")).toBe(0);
      expect(r.stdout, c.join(" ")).toMatch(/Examples:\n  \$ recurse /);
    }
    const build = await cli(["data", "build", "sudoku", "--help"]);
    for (const flag of ["--input <value...>", "--train-size <n>", "--augmentations <n>", "--generate <n>", "--size <n>", "--givens <n>", "--seed <n>", "--out <value>"]) {
      expect(build.stdout).toContain(flag);
    }
    const arc = await cli(["data", "build", "arc", "--help"]);
    for (const flag of ["--input <value...>", "--test-set <value...>", "--leak-free", "--no-translate"]) expect(arc.stdout).toContain(flag);
  });

  it("env prints a fenced block to paste into a bug report", async () => {
    const r = await cli(["--engine", "cpu", "env"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^```\n/);
    expect(r.stdout).toMatch(/^@recurse\/cli\s+\d+\.\d+\.\d+$/m);
    expect(r.stdout).toMatch(/^engine\s+cpu \(backend cpu, 1 thread\(s\), requested cpu\)$/m);
    expect(r.stdout).toMatch(/^node\s+v\d+/m);
  });
});

describe("bad input gives one clear line and exit code 1", () => {
  it("data build", async () => {
    await failsWith(["data", "build", "sudok", "--out", "x"], /^recurse: error: unknown dataset "sudok"; did you mean "sudoku"\?/);
    await failsWith(["data", "build", "sudoku", "--size", "4", "--out", "x"], /^recurse: error: --size needs --generate$/);
    await failsWith(["data", "build", "sudoku", "--generate", "5", "--size", "4", "--givens", "99", "--out", "x"], /^recurse: error: recurse data build sudoku: --givens: at most 16 givens fit a 4x4 grid$/);
    await failsWith(["data", "build", "sudoku", "--out", "x"], /--input: give at least one puzzle file, or generate options/);
    await failsWith(["data", "build", "sudoku", "--generate", "five", "--out", "x"], /--generate: expected a number, got 'five'/);
    await failsWith(["data", "build", "sudoku", "--generat", "5"], /^recurse: error: unknown option '--generat' \(did you mean --generate\?\)$/);
    await failsWith(["lst"], /^recurse: error: unknown command 'lst' \(did you mean list\?\)$/);
  });

  it("global options and plugins", async () => {
    await failsWith(["--engine", "gpu", "list"], /argument 'gpu' is invalid\. Allowed choices are auto, wasm, cpu, tfjs-node, tfjs-node-gpu/);
    await failsWith(["--plugin", "./nope.mjs", "list"], /^recurse: error: plugin \.\/nope\.mjs: no such file or directory/);
    writeFileSync(join(work, "bad-plugin.mjs"), "export default { name: 'x', architectures: [{ id: 'a' }] };\n");
    await failsWith(["--plugin", "./bad-plugin.mjs", "list"], /^recurse: error: plugin \.\/bad-plugin\.mjs: 'architectures\[0\]\.create' is not a function/);
    writeFileSync(
      join(work, "dup-plugin.mjs"),
      "export default { name: 'dup', architectures: [{ id: 'trm', description: '', schema: { safeParse() {}, parse() {} }, presets: { x: {} }, defaultPreset: 'x', create() {} }] };\n",
    );
    await failsWith(["--plugin", "./dup-plugin.mjs", "list"], /^recurse: error: plugin \.\/dup-plugin\.mjs: architecture "trm" of plugin "dup" is already registered by plugin "@recurse\/trm"; give it another id$/);
  });

  it("train validates the architecture, the data and every config key", async () => {
    const base = ["train", "trm", "--data", "data4", "--out", "runs/bad"];
    await failsWith(["train", "trmm", "--data", "data4", "--out", "r"], /unknown architecture "trmm"; did you mean "trm"\?/);
    await failsWith(["train", "trm", "--data", "nowhere", "--out", "r"], /^recurse: error: --data nowhere: no such directory$/);
    await failsWith([...base, "--preset", "tiniest"], /unknown preset "tiniest" \(known: .*tiny/);
    await failsWith([...base, "--set", "hiddenSiz=8"], /hiddenSiz: unknown config key .*did you mean "hiddenSize"\?/);
    await failsWith([...base, "--set", "hiddenSize=-3"], /hiddenSize: .*got -3/);
    await failsWith([...base, "--set", "seqLen=81"], /--set seqLen=81 disagrees with the dataset \(seqLen 16\)/);
    await failsWith([...base, "--set", "noequals"], /--set "noequals" has no '='/);
    await failsWith([...base, "--steps", "0"], /--steps expects an integer >= 1, got 0/);
    await failsWith([...base, "--resume"], /--resume: runs\/bad has no checkpoint to resume/);
  });

  it("eval and solve name the missing run", async () => {
    await failsWith(["eval", "--model", "nowhere", "--data", "data4", "--out", "res"], /^recurse: error: --model nowhere: no such directory$/);
    await failsWith(["eval", "--model", "data4", "--data", "data4", "--out", "res"], /--model data4: no checkpoint in it/);
    await failsWith(["eval", "--data", "data4", "--out", "res"], /required option '--model <run>' not specified/);
    await failsWith(["solve", "--model", "nowhere"], /give the puzzle with --puzzle/);
  });
});

describe("solve on a freshly trained model", () => {
  it("prints the puzzle, each step with q_halt and the answer; a contradictory puzzle is one line", async () => {
    const train = await cli(["--engine", "wasm", "train", "trm", "--data", "data4", "--set", "hiddenSize=8", "--set", "haltMaxSteps=2", "--batch-size", "4", "--steps", "1", "--eval-limit", "2", "--out", "runs/t"]);
    expect(train.code, train.stderr).toBe(0);
    const r = await cli(["--engine", "wasm", "solve", "--model", "runs/t", "--puzzle", "1..4.41...4.4..1"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^puzzle \(sudoku, t\):\n1 \. \| \. 4\n/);
    expect(r.stdout).toMatch(/^step 1\/2  q_halt -?\d+\.\d{3}  p\(halt\) \d\.\d{3}/m);
    expect(r.stdout).toMatch(/^step 2\/2  q_halt -?\d+\.\d{3}  p\(halt\) \d\.\d{3}  \d+ cell\(s\) changed/m);
    expect(r.stdout).toMatch(/^answer: step \d/m);
    await failsWith(["--engine", "wasm", "solve", "--model", "runs/t", "--puzzle", "11.4.41...4.4..1"], /^recurse: error: /);
    await failsWith(["--engine", "wasm", "solve", "--model", "runs/t", "--puzzle", "1234"], /^recurse: error: /);
  });
});
