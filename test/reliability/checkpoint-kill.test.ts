/**
 * A process saving checkpoints is SIGKILLed at random moments and, deterministically, at every rename of an atomic
 * replace. After each kill the checkpoint directory must load (the last acknowledged save or the one in flight,
 * never a mix), and leftovers of the killed writer are cleaned by the next save.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CheckpointError, loadCheckpoint, saveCheckpoint, type LoadedCheckpoint } from "@recurse/core";
import { coreIsBuilt, seeded, sleep, startChild } from "./support/child";
import { contentOf } from "./children/checkpoint-content.mjs";

const WRITER = fileURLToPath(new URL("./children/checkpoint-writer.mjs", import.meta.url));
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "recurse-kill-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The loaded checkpoint is exactly save number `i`, whole. */
function expectIteration(loaded: LoadedCheckpoint, i: number): void {
  const want = contentOf(i);
  expect(loaded.config).toEqual(want.config);
  expect(loaded.state).toEqual(want.state);
  expect(loaded.tensors.model.get("iteration")!.data).toEqual(want.tensors.model.get("iteration")!.data);
  expect(Buffer.from((loaded.tensors.model.get("w")!.data as Float32Array).buffer).equals(Buffer.from(want.tensors.model.get("w")!.data.buffer))).toBe(true);
  expect(loaded.tensors.optimizer.get("step")!.data).toEqual(want.tensors.optimizer.get("step")!.data);
}

/** Siblings an interrupted save leaves beside the checkpoint (temporary or set-aside copies). */
async function leftovers(dir: string): Promise<string[]> {
  return (await readdir(dirname(dir))).filter((n) => n !== basename(dir) && n.startsWith(basename(dir) + "."));
}

describe.skipIf(!coreIsBuilt())("checkpoint writes killed with SIGKILL", () => {
  it("after each of 6 kills at random moments the last acknowledged checkpoint (or the one in flight) loads whole", async () => {
    const dir = join(root, "random", "checkpoint");
    const random = seeded(20240611);
    let lastAcked = -1;
    let interrupted = 0;
    const report: string[] = [];
    for (let kill = 0; kill < 6; kill++) {
      const child = startChild(WRITER, [dir]);
      await child.waitFor(/^ready/);
      // Let it save a few times, then kill it 0-250 ms later: most kills land inside a save.
      await child.waitFor(/^saved/);
      await sleep(Math.floor(random() * 250));
      const { signal } = await child.kill();
      expect(signal).toBe("SIGKILL");
      for (const line of child.lines) {
        const m = /^saved (\d+)$/.exec(line);
        if (m) lastAcked = Math.max(lastAcked, Number(m[1]));
      }
      const left = await leftovers(dir);
      if (left.length > 0) interrupted++;
      let loaded: LoadedCheckpoint;
      try {
        loaded = await loadCheckpoint(dir);
      } catch (e) {
        throw new Error(`kill ${kill}: the checkpoint does not load after the kill (acknowledged ${lastAcked}, leftovers ${left.join(", ")}): ${(e as Error).message}`);
      }
      const i = (loaded.config as { iteration: number }).iteration;
      expect(i, `kill ${kill}: loaded save ${i}, acknowledged ${lastAcked}`).toBeGreaterThanOrEqual(lastAcked);
      expect(i).toBeLessThanOrEqual(lastAcked + 1);
      expectIteration(loaded, i);
      lastAcked = i;
      report.push(`kill ${kill}: save ${i} loads${left.length ? ` (interrupted a write: ${left.length} leftover)` : ""}`);
    }
    // The next save cleans what the killed writers left.
    await saveCheckpoint(dir, contentOf(lastAcked + 1));
    expect(await leftovers(dir)).toEqual([]);
    console.log(`checkpoint kills: 6 SIGKILLs, ${interrupted} inside a save; after each the checkpoint loaded whole\n  ${report.join("\n  ")}`);
  });

  it("a kill at each rename of a replace (including between moving the old one aside and the new one in) leaves a loadable checkpoint", async () => {
    const results: string[] = [];
    // A replace renames twice: the old checkpoint aside (1), the new one in (2); then the next save (3, 4).
    // Each kill lands just before rename n.
    for (let n = 1; n <= 3; n++) {
      const dir = join(root, `rename-${n}`, "checkpoint");
      await saveCheckpoint(dir, contentOf(0));
      const child = startChild(WRITER, [dir, "--kill-at-rename", String(n), "--iterations", "3"]);
      const { signal } = await child.exited;
      expect(signal).toBe("SIGKILL");
      const acked = Math.max(0, ...child.lines.map((l) => Number(/^saved (\d+)$/.exec(l)?.[1] ?? -1)));
      const left = await leftovers(dir);
      let loaded: LoadedCheckpoint;
      try {
        loaded = await loadCheckpoint(dir);
      } catch (e) {
        expect.fail(`kill at rename ${n} (${child.lines.find((l) => l.startsWith("killing")) ?? ""}; leftovers ${left.join(", ")}): ${e instanceof CheckpointError ? "CheckpointError" : String(e)}: ${(e as Error).message}`);
      }
      const i = (loaded!.config as { iteration: number }).iteration;
      expect(i).toBeGreaterThanOrEqual(acked);
      expect(i).toBeLessThanOrEqual(acked + 1);
      expectIteration(loaded!, i);
      results.push(`rename ${n}: save ${i} loads (acknowledged ${acked}, ${left.length} leftover)`);
    }
    console.log(`kills at each rename:\n  ${results.join("\n  ")}`);
  });
});
