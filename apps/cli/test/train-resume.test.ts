/**
 * `recurse train --resume` takes every training option from recurse-run.json: a run stopped by Ctrl-C and resumed
 * with the bare printed command, or trained in two parts with `--steps 3` then `--resume --steps 6`, logs the same
 * losses as the same run trained in one go; a flag that contradicts the record is refused with one line.
 * In-process (runCli), with the signal raised from the progress line of step 3, so the stop step is exact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { tf } from "@recurse/core";
import type { CliIO } from "../src/io";
import { runCli } from "../src/run-cli";

let work: string;

/**
 * Run the CLI in-process; `onStderr` sees each stderr write synchronously, as the command makes it (a PassThrough
 * would deliver it a tick later, after the trainer has moved on).
 */
async function cli(args: string[], onStderr?: (text: string) => void) {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: { write: (text: string) => ((stdout += text), true) },
    stderr: new Writable({
      decodeStrings: false,
      write(chunk, _encoding, done) {
        stderr += String(chunk);
        done();
        onStderr?.(String(chunk));
      },
    }),
    isTTY: false,
    cwd: work,
    env: { RECURSE_CACHE_DIR: join(work, "cache") },
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** The `train` records of a run's metrics.jsonl, without wall-clock fields. */
function trainRecords(run: string): Record<string, unknown>[] {
  return readFileSync(join(work, run, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((m) => m.type === "train")
    .map(({ seconds: _s, time: _t, ...rest }) => rest);
}

function runRecord(run: string) {
  return JSON.parse(readFileSync(join(work, run, "recurse-run.json"), "utf8")) as { training: Record<string, unknown>; overrides: unknown };
}

const model = ["--engine", "wasm", "train", "trm", "--data", "data4", "--preset", "tiny", "--set", "hiddenSize=8", "--set", "haltMaxSteps=2", "--batch-size", "4"];
// Every training option away from its default, so falling back to one would show in the losses.
const options = ["--lr", "3e-3", "--seed", "7", "--warmup", "2", "--optimizer", "adamw", "--weight-decay", "0.5", "--puzzle-lr", "1e-3", "--eval-every", "2", "--eval-limit", "2", "--checkpoint-every", "2"];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "recurse-resume-"));
  const r = await cli(["data", "build", "sudoku", "--generate", "16", "--size", "4", "--givens", "8", "--test-count", "4", "--seed", "1", "--out", "data4"]);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("recurse train --resume", () => {
  it("a run stopped by SIGINT at step 3 and resumed with the bare printed command logs the losses of an uninterrupted run", async () => {
    const args = [...model, ...options, "--min-lr-ratio", "0.5", "--steps", "6"];
    const whole = await cli([...args, "--out", "runs/whole"]);
    expect(whole.code, whole.stderr).toBe(0);

    const tensorsBefore = tf.memory().numTensors;
    let raised = false;
    const stopped = await cli([...args, "--out", "runs/split"], (text) => {
      if (!raised && /^train: 3\/6 steps/m.test(text)) {
        raised = true;
        process.emit("SIGINT");
      }
    });
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(process.listenerCount("SIGINT")).toBe(0);
    expect(stopped.stdout).toMatch(/^stopped trm at step 3 of 6 /m);
    const command = stopped.stdout.match(/^continue with:\n {2}(.+)$/m)![1];
    expect(command).toBe("recurse --engine wasm train trm --data data4 --out runs/split --resume");

    const resumed = await cli(command.split(" ").slice(1));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain("resuming runs/split at step 3 of 6");
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    const expected = trainRecords("runs/whole");
    expect(expected.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(expected.map((m) => m.loss)).size).toBeGreaterThan(1);
    expect(trainRecords("runs/split")).toEqual(expected);
    expect(runRecord("runs/split").training).toEqual({
      steps: 6,
      batchSize: 4,
      seed: 7,
      lr: 3e-3,
      puzzleLr: 1e-3,
      weightDecay: 0.5,
      optimizer: "adamw",
      warmupSteps: 2,
      minLrRatio: 0.5,
      ema: null,
      evalEvery: 2,
      evalLimit: 2,
      checkpointEvery: 2,
    });
  });

  it("--steps 3, then --resume --steps 6 with nothing else repeated, logs the losses of a 6-step run", async () => {
    // Constant learning rate after warmup (--min-lr-ratio 1): the schedule does not depend on the total.
    const whole = await cli([...model, ...options, "--steps", "6", "--out", "runs/whole6"]);
    expect(whole.code, whole.stderr).toBe(0);
    const first = await cli([...model, ...options, "--steps", "3", "--out", "runs/extended"]);
    expect(first.code, first.stderr).toBe(0);
    const more = await cli(["--engine", "wasm", "train", "trm", "--data", "data4", "--out", "runs/extended", "--resume", "--steps", "6"]);
    expect(more.code, more.stderr).toBe(0);
    expect(more.stderr).toContain("resuming runs/extended at step 3 of 6");
    expect(trainRecords("runs/extended")).toEqual(trainRecords("runs/whole6"));
    expect(runRecord("runs/extended").training).toMatchObject({ steps: 6, lr: 3e-3, seed: 7, warmupSteps: 2, optimizer: "adamw" });
    expect(runRecord("runs/extended").overrides).toEqual({ hiddenSize: 8, haltMaxSteps: 2 });
  });

  it("refuses a flag that contradicts the record with one line naming both values; agreeing flags are accepted", async () => {
    const resume = ["--engine", "wasm", "train", "trm", "--data", "data4", "--out", "runs/extended", "--resume"];
    const refused = async (extra: string[], message: string) => {
      const r = await cli([...resume, ...extra]);
      expect(r.code, extra.join(" ")).toBe(1);
      expect(r.stderr.trim().split("\n")).toEqual([`recurse: error: --resume: runs/extended was recorded with ${message}`]);
    };
    const leaveOut = "(leave the flag out to continue the run as recorded)";
    await refused(["--lr", "1e-3"], `--lr 0.003, but --lr 0.001 was given ${leaveOut}`);
    await refused(["--seed", "0"], `--seed 7, but --seed 0 was given ${leaveOut}`);
    await refused(["--optimizer", "adam-atan2"], `--optimizer adamw, but --optimizer adam-atan2 was given ${leaveOut}`);
    await refused(["--ema", "0.9"], `no --ema, but --ema 0.9 was given ${leaveOut}`);
    await refused(["--eval-limit", "0"], `--eval-limit 2, but --eval-limit 0 was given ${leaveOut}`);
    await refused(["--set", "hiddenSize=16"], `hiddenSize=8, but --set hiddenSize=16 was given ${leaveOut}`);
    await refused(["--preset", "sudoku-mlp"], `--preset tiny, but --preset sudoku-mlp was given ${leaveOut}`);
    await refused(["--steps", "5"], "--steps 6, but --steps 5 was given; a resumed run can only be extended (give at least 6 steps, or leave the flag out)");

    const agreeing = await cli([...resume, "--lr", "0.003", "--seed", "7", "--set", "hiddenSize=8", "--preset", "tiny", "--steps", "6"]);
    expect(agreeing.code, agreeing.stderr).toBe(0);
    expect(agreeing.stderr).toContain("resuming runs/extended at step 6 of 6");
    expect(trainRecords("runs/extended").map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
