/**
 * Ctrl-C during `recurse train`, through the built binary: the first SIGINT stops after the current step with a
 * checkpoint of it and prints the short command that continues the run; that command completes the run; a second SIGINT
 * quits at once and the last checkpoint still loads.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { loadCheckpoint } from "@recurse/core";
import { assertBuilt, BIN, runBin } from "./helpers/run-bin";

let work: string;
let env: Record<string, string>;

beforeAll(async () => {
  assertBuilt();
  work = mkdtempSync(join(tmpdir(), "recurse-interrupt-"));
  env = { RECURSE_CACHE_DIR: join(work, "cache") };
  const data = await runBin(["data", "build", "sudoku", "--generate", "40", "--size", "4", "--givens", "8", "--test-count", "8", "--seed", "0", "--out", "sudoku4"], { cwd: work, env });
  expect(data.code, data.stderr).toBe(0);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const base = ["--engine", "wasm", "train", "trm", "--data", "sudoku4", "--preset", "tiny", "--set", "haltMaxSteps=2", "--lr", "3e-3", "--eval-limit", "8"];

/** A running `recurse` whose output is collected; `waitFor` resolves once stderr matches. */
function start(args: string[]) {
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(process.execPath, [BIN, ...args], {
    cwd: work,
    env: { ...process.env, RECURSE_DEBUG: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => {
    stderr += c;
    for (const w of waiters.filter((x) => x.re.test(stderr))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const closed = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      clearTimeout(killer);
      resolve(code);
    }),
  );
  return {
    child,
    closed,
    out: () => stdout,
    err: () => stderr,
    waitFor: (re: RegExp) =>
      re.test(stderr)
        ? Promise.resolve()
        : Promise.race([
            new Promise<void>((resolve) => waiters.push({ re, resolve })),
            closed.then((code) => {
              throw new Error(`exited with ${code} before printing ${re}: ${stderr}`);
            }),
          ]),
  };
}

function metrics(run: string): { type: string; step: number; reason?: string }[] {
  return readFileSync(join(work, run, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}

describe("recurse train interrupted", () => {
  it("stops on SIGINT after the current step with a checkpoint (exit 130), and the printed --resume command completes the run", async () => {
    const run = start([...base, "--set", "hiddenSize=16", "--batch-size", "8", "--steps", "40", "--out", "runs/a"]);
    await run.waitFor(/^train: \d+\/40 steps/m);
    run.child.kill("SIGINT");
    expect(await run.closed, run.err()).toBe(130);
    expect(run.err()).toMatch(/^SIGINT: stopping after the current step and saving a checkpoint/m);
    expect(run.err().match(/stopping after the current step/g)).toHaveLength(1);

    const stopped = run.out().match(/^stopped trm at step (\d+) of 40 after [\d.]+s; checkpoint (.+)$/m);
    expect(stopped, run.out()).not.toBeNull();
    const step = Number(stopped![1]);
    expect(step).toBeGreaterThan(0);
    expect(step).toBeLessThan(40);
    expect(stopped![2]).toBe(join(work, "runs/a/checkpoint"));
    const command = run.out().match(/^continue with:\n {2}(.+)$/m)![1];
    // Short: every training option comes back from recurse-run.json.
    expect(command).toBe("recurse --engine wasm train trm --data sudoku4 --out runs/a --resume");

    const checkpoint = await loadCheckpoint(join(work, "runs/a/checkpoint"));
    expect((checkpoint.config as { step: number }).step).toBe(step);
    expect((checkpoint.state as { step: number }).step).toBe(step);
    const log = metrics("runs/a");
    expect(log[log.length - 1]).toMatchObject({ type: "stopped", step, reason: "aborted" });
    expect(log.filter((m) => m.type === "train").map((m) => m.step)).toEqual(Array.from({ length: step }, (_, i) => i + 1));

    // Exactly what was printed, minus the program name.
    const resumed = await runBin(command.split(" ").slice(1), { cwd: work, env, timeoutMs: 60_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming runs/a at step ${step} of 40`);
    expect(resumed.stdout).toMatch(/^trained trm for 40 steps/m);
    expect(metrics("runs/a").filter((m) => m.type === "train").map((m) => m.step)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(((await loadCheckpoint(join(work, "runs/a/checkpoint"))).config as { step: number }).step).toBe(40);
  }, 40_000);

  it("stops the same way on SIGTERM, with exit status 143", async () => {
    const run = start([...base, "--set", "hiddenSize=16", "--batch-size", "8", "--steps", "40", "--json", "--out", "runs/c"]);
    await run.waitFor(/^train: \d+\/40 steps/m);
    run.child.kill("SIGTERM");
    expect(await run.closed, run.err()).toBe(143);
    expect(run.err()).toMatch(/^SIGTERM: stopping after the current step/m);
    const summary = JSON.parse(run.out());
    expect(summary).toMatchObject({ stopped: "aborted", signal: "SIGTERM", totalSteps: 40, checkpoint: join(work, "runs/c/checkpoint") });
    expect(summary.resume).toMatch(/ --out runs\/c --resume$/);
    expect(((await loadCheckpoint(join(work, "runs/c/checkpoint"))).config as { step: number }).step).toBe(summary.steps);
  }, 20_000);

  it("a second SIGINT quits at once with exit 130, and the last checkpoint still loads", async () => {
    // A wider model and the whole split per batch make a step (~0.5 s here) long enough for both signals to arrive
    // inside it, so the process handles them back to back, before the graceful stop can save anything.
    const run = start([...base, "--set", "hiddenSize=64", "--batch-size", "40", "--steps", "10", "--checkpoint-every", "2", "--out", "runs/b"]);
    await run.waitFor(/^train: 4\/10 steps/m);
    // The save of step 4 ends by deleting the checkpoint of step 2 it replaced (a sibling directory); step 5 starts
    // right after, without yielding to signal handlers until it ends.
    const parent = join(work, "runs/b");
    const savedStep = () => {
      try {
        return (JSON.parse(readFileSync(join(parent, "checkpoint/config.json"), "utf8")) as { step: number }).step;
      } catch {
        return 0;
      }
    };
    const saving = () => readdirSync(parent).some((n) => n.startsWith("checkpoint."));
    while (savedStep() !== 4 || saving()) await sleep(5);
    await sleep(10);
    run.child.kill("SIGINT");
    await sleep(30);
    run.child.kill("SIGINT");
    expect(await run.closed, run.err()).toBe(130);
    expect(run.err()).toMatch(/^SIGINT: stopping after the current step/m);
    expect(run.err()).toMatch(/^SIGINT again: quitting now; the last checkpoint in runs\/b\/checkpoint is intact: continue with\n {2}recurse .* --out runs\/b --resume$/m);
    expect(run.out()).not.toMatch(/^stopped trm/m);
    const checkpoint = await loadCheckpoint(join(work, "runs/b/checkpoint"));
    expect((checkpoint.config as { step: number }).step).toBe(4);
    expect(metrics("runs/b").some((m) => m.type === "stopped")).toBe(false);
  }, 30_000);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
