import { describe, expect, it } from "vitest";
import { PassThrough } from "node:stream";
import { createProgress } from "../src/progress/progress";
import type { CliIO } from "../src/io";

function io(isTTY: boolean): CliIO & { text(): string } {
  let text = "";
  const stderr = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number; cursorTo?: unknown; clearLine?: unknown; moveCursor?: unknown };
  stderr.setEncoding("utf8");
  stderr.on("data", (c: string) => (text += c));
  if (isTTY) {
    // What cli-progress needs from a terminal stream.
    stderr.isTTY = true;
    stderr.columns = 120;
    stderr.cursorTo = (_x: number, _y?: number, cb?: () => void) => (cb?.(), true);
    stderr.clearLine = (_d: number, cb?: () => void) => (cb?.(), true);
    stderr.moveCursor = (_dx: number, _dy: number, cb?: () => void) => (cb?.(), true);
  }
  return { stdout: { write: () => true }, stderr, isTTY, cwd: "/", env: {}, text: () => text };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("createProgress", () => {
  it("off a terminal prints one plain line per 10% and a final summary", async () => {
    const out = io(false);
    const bar = createProgress(out, { label: "train", total: 50, unit: "steps", intervalMs: 1e9 });
    for (let s = 1; s <= 50; s++) bar.update(s, `loss ${(1 / s).toFixed(2)}`);
    bar.stop("done");
    await tick();
    const lines = out.text().trim().split("\n");
    expect(lines).toHaveLength(11);
    expect(lines[0]).toMatch(/^train: 5\/50 steps \(10%\) \d+\.\ds loss 0\.20$/);
    expect(lines[9]).toMatch(/^train: 50\/50 steps \(100%\) /);
    expect(lines[10]).toBe("done");
  });

  it("on a terminal draws a bar with the counts and the info text", async () => {
    const out = io(true);
    const bar = createProgress(out, { label: "eval", total: 4, unit: "examples" });
    bar.update(2, "acc 0.5");
    bar.update(4, "acc 0.75");
    bar.stop();
    await tick();
    const text = out.text();
    expect(text).toMatch(/eval [█░]+ 100% \| 4\/4 examples \| ETA \S+ \| acc 0\.75/);
    expect(text).not.toMatch(/^eval: /m);
  });
});
