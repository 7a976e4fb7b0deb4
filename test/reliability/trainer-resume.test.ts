/**
 * Training runs that die: a training child process SIGKILLed three times at random steps and resumed each time
 * must end bit-identical to an uninterrupted run with the same seed (every loss, the metrics log, every tensor of
 * the final checkpoint). A NaN or infinite loss stops training naming the step and keeps a checkpoint that is
 * finite and resumable; a torn metrics line left by a kill does not break the resume.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { initEngine, loadCheckpoint, tf, Trainer, TrainingDivergedError, type NamedTensor, type TrainEvent } from "@recurse/core";
import { coreIsBuilt, seeded, sleep, startChild, type Child } from "./support/child";
import { tinyRun } from "./support/tiny-model.mjs";

const TRAIN = fileURLToPath(new URL("./children/train.mjs", import.meta.url));
const STEPS = 40;
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "recurse-resume-kill-"));
  await initEngine("cpu");
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function losses(child: Child, into: Map<number, string>): void {
  for (const line of child.lines) {
    const m = /^step (\d+) (.+)$/.exec(line);
    if (!m) continue;
    const step = Number(m[1]);
    // A step redone after a kill must repeat its loss exactly.
    if (into.has(step)) expect(m[2], `step ${step} redone after a resume`).toBe(into.get(step));
    into.set(step, m[2]);
  }
}

async function checkpointDigest(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of ["model", "train_params", "optimizer", "carry"]) {
    out[name] = createHash("sha256").update(await readFile(join(dir, "checkpoint", `${name}.safetensors`))).digest("hex");
  }
  out.trainer_state = createHash("sha256").update(await readFile(join(dir, "checkpoint", "trainer_state.json"))).digest("hex");
  return out;
}

describe.skipIf(!coreIsBuilt())("resume after SIGKILL", () => {
  it("a run killed three times at random steps and resumed ends bit-identical to an uninterrupted one", async () => {
    const refDir = join(root, "reference");
    const ref = startChild(TRAIN, [refDir, String(STEPS)]);
    await ref.waitFor(/^done$/);
    await ref.exited;
    const refLosses = new Map<number, string>();
    losses(ref, refLosses);
    expect(refLosses.size).toBe(STEPS);

    const dir = join(root, "killed");
    const random = seeded(7);
    const got = new Map<number, string>();
    const kills: string[] = [];
    for (let k = 0; k < 3; k++) {
      const child = startChild(TRAIN, [dir, String(STEPS), "--resume"]);
      const resumedAt = Number(/(\d+)/.exec(await child.waitFor(/^(resumed \d+|fresh)$/))?.[1] ?? 0);
      // Kill 2-8 steps after the resume point, plus up to 15 ms: inside a step, a log line or a checkpoint save.
      const target = resumedAt + 2 + Math.floor(random() * 7);
      await child.waitFor(new RegExp(`^step ${target} `));
      await sleep(Math.floor(random() * 15));
      const { signal } = await child.kill();
      expect(signal).toBe("SIGKILL");
      losses(child, got);
      kills.push(`kill ${k}: resumed at step ${resumedAt}, killed after step ${Math.max(...got.keys())}`);
    }
    const last = startChild(TRAIN, [dir, String(STEPS), "--resume"]);
    await last.waitFor(/^done$/);
    await last.exited;
    losses(last, got);

    expect([...got.keys()].sort((a, b) => a - b)).toEqual([...refLosses.keys()].sort((a, b) => a - b));
    for (const [step, loss] of refLosses) expect(got.get(step), `loss of step ${step}`).toBe(loss);
    expect(await readFile(join(dir, "metrics.jsonl"), "utf8")).toBe(await readFile(join(refDir, "metrics.jsonl"), "utf8"));
    expect(await checkpointDigest(dir)).toEqual(await checkpointDigest(refDir));
    console.log(`resume after SIGKILL: ${kills.join("; ")}; all ${STEPS} losses, the metrics log and the final checkpoint equal the uninterrupted run`);
  });
});

describe.skipIf(!coreIsBuilt())("the metrics log", () => {
  it("a kill while a resume rewrites metrics.jsonl loses no line of it", async () => {
    const dir = join(root, "log-rewrite");
    const first = startChild(TRAIN, [dir, "6"]);
    await first.waitFor(/^done$/);
    await first.exited;
    const before = await readFile(join(dir, "metrics.jsonl"), "utf8");
    expect(before.trim().split("\n").length).toBe(6);
    const second = startChild(TRAIN, [dir, "6", "--resume", "--kill-in-log-rewrite"]);
    const exit = await second.exited;
    expect(exit.signal, `${JSON.stringify(exit)} ${second.lines.join(" | ")} ${second.stderr.join("")}`).toBe("SIGKILL");
    expect(second.lines).toContain("killing in the log rewrite");
    expect(await readFile(join(dir, "metrics.jsonl"), "utf8")).toBe(before);
  });
});

describe("divergence and torn logs", () => {
  const finite = (t: NamedTensor) => Array.from(t.data as Float32Array).every(Number.isFinite);

  for (const [label, value] of [["NaN", NaN], ["Infinity", Infinity]] as const) {
    it(`a ${label} weight at step 3 stops training at step 4 naming the step; the kept checkpoint is finite and resumes exactly`, async () => {
      const outDir = join(root, `diverge-${label}`);
      const straight = tinyRun({ outDir: join(root, `straight-${label}`), steps: 6, checkpointEvery: 2 });
      const straightLosses: number[] = [];
      const straightTrainer = new Trainer({ ...straight.options, onProgress: (e) => e.type === "step" && straightLosses.push(e.metrics.loss) });
      await straightTrainer.run();

      const { reasoner, options } = tinyRun({
        outDir,
        steps: 6,
        checkpointEvery: 2,
        onProgress: (e: TrainEvent) => {
          if (e.type === "step" && e.step === 3) tf.tidy(() => reasoner.parameters().get("lm_head.weight")!.assign(tf.fill([8, 6], value)));
        },
      });
      const trainer = new Trainer(options);
      const err = await trainer.run().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TrainingDivergedError);
      expect((err as TrainingDivergedError).step).toBe(4);
      expect((err as Error).message).toMatch(/at step 4/);
      expect((err as Error).message).toContain(join(outDir, "checkpoint"));
      const kept = await loadCheckpoint(join(outDir, "checkpoint"));
      expect((kept.config as { step: number }).step).toBe(2);
      for (const stem of ["model", "train_params"]) for (const [name, t] of kept.tensors[stem]) expect(finite(t), `${stem}/${name}`).toBe(true);

      // The kept checkpoint resumes into exactly the uninterrupted run.
      const again = tinyRun({ outDir: join(root, `again-${label}`), steps: 6, checkpointEvery: 2, modelSeed: 9 });
      const againLosses: number[] = [];
      const resumed = new Trainer({ ...again.options, onProgress: (e) => e.type === "step" && againLosses.push(e.metrics.loss) });
      await resumed.restore(join(outDir, "checkpoint"));
      await resumed.run();
      expect(againLosses).toEqual(straightLosses.slice(2));
      for (const t of [straightTrainer, trainer, resumed]) t.dispose();
      for (const m of [straight.reasoner, reasoner, again.reasoner]) m.dispose();
    });
  }

  it("weights that turn non-finite on a step whose checkpoint is due never replace the last good checkpoint", async () => {
    const outDir = join(root, "poisoned");
    const { reasoner, options } = tinyRun({
      outDir,
      steps: 8,
      checkpointEvery: 2,
      onProgress: (e: TrainEvent) => {
        // As if step 4's update had overflowed: its loss was finite, its weights are not.
        if (e.type === "step" && e.step === 4) tf.tidy(() => reasoner.parameters().get("L.weight")!.assign(tf.fill([8, 8], NaN)));
      },
    });
    const trainer = new Trainer(options);
    const err = await trainer.run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingDivergedError);
    const kept = await loadCheckpoint(join(outDir, "checkpoint"));
    for (const stem of ["model", "train_params"]) for (const [name, t] of kept.tensors[stem]) expect(finite(t), `kept checkpoint (step ${(kept.config as { step: number }).step}) ${stem}/${name}`).toBe(true);
    expect((kept.config as { step: number }).step).toBe(2);
    expect((err as TrainingDivergedError).step).toBe(4);
    expect((err as Error).message).toMatch(/tensor 'L\.weight' became NaN at step 4/);
    expect((err as Error).message).toContain(join(outDir, "checkpoint"));
    trainer.dispose();
    reasoner.dispose();
  });

  it("a torn last line in metrics.jsonl (a kill mid-append) does not break the resume", async () => {
    const outDir = join(root, "torn");
    const first = tinyRun({ outDir, steps: 6, checkpointEvery: 2 });
    const trainer = new Trainer(first.options);
    for (let i = 0; i < 4; i++) trainer.trainStep();
    await trainer.save(join(outDir, "checkpoint"));
    await appendFile(join(outDir, "metrics.jsonl"), '{"type":"train","step":3,"loss":0.5}\n{"type":"train","step":5,"lo');
    const second = tinyRun({ outDir, steps: 6, checkpointEvery: 2 });
    const resumed = new Trainer(second.options);
    await resumed.restore(join(outDir, "checkpoint"));
    const lines = (await readFile(join(outDir, "metrics.jsonl"), "utf8")).split("\n").filter(Boolean);
    for (const l of lines) expect(() => JSON.parse(l), l).not.toThrow();
    expect(lines.map((l) => JSON.parse(l).step)).toEqual([3]);
    for (const t of [trainer, resumed]) t.dispose();
    for (const m of [first.reasoner, second.reasoner]) m.dispose();
  });
});
