import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CheckpointError, recoverInterruptedWrite, writeDirectoryAtomic, writeFileAtomic } from "@recurse/core";

/** A pid that cannot exist (above Linux's pid_max), standing for a crashed writer. */
const DEAD_PID = 999_999_999;

describe("writeDirectoryAtomic", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "recurse-atomic-"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("creates, then replaces a directory, leaving no siblings behind", async () => {
    const dir = join(root, "runs", "ckpt");
    await writeDirectoryAtomic(dir, async (tmp) => {
      expect(tmp).toMatch(/ckpt\.tmp-\d+-[0-9a-f]+$/);
      await writeFile(join(tmp, "a.txt"), "one");
      await mkdir(join(tmp, "sub"));
      await writeFile(join(tmp, "sub", "b.txt"), "nested");
    });
    expect(await readFile(join(dir, "a.txt"), "utf8")).toBe("one");
    expect(await readFile(join(dir, "sub", "b.txt"), "utf8")).toBe("nested");

    await writeDirectoryAtomic(dir, async (tmp) => {
      // While the new one is written, the old one is still complete in place.
      expect(await readFile(join(dir, "a.txt"), "utf8")).toBe("one");
      await writeFile(join(tmp, "c.txt"), "two");
    });
    expect((await readdir(dir)).sort()).toEqual(["c.txt"]);
    expect(await readdir(join(root, "runs"))).toEqual(["ckpt"]);
  });

  it("keeps the old directory and removes the temp one when filling fails", async () => {
    const dir = join(root, "keep");
    await writeDirectoryAtomic(dir, async (tmp) => writeFile(join(tmp, "x"), "old"));
    const boom = new Error("disk full (simulated)");
    await expect(
      writeDirectoryAtomic(dir, async (tmp) => {
        await writeFile(join(tmp, "x"), "half");
        throw boom;
      }),
    ).rejects.toThrow(CheckpointError);
    expect(await readFile(join(dir, "x"), "utf8")).toBe("old");
    expect((await readdir(root)).filter((n) => n.startsWith("keep"))).toEqual(["keep"]);
  });

  it("cleans temp dirs of crashed writers and restores an old directory left between the two renames", async () => {
    const dir = join(root, "crash");
    await mkdir(`${dir}.tmp-${DEAD_PID}-abcd`);
    await writeFile(`${dir}.tmp-${DEAD_PID}-abcd/partial`, "x");
    await mkdir(`${dir}.old-${DEAD_PID}-beef`);
    await writeFile(`${dir}.old-${DEAD_PID}-beef/model`, "last good");
    // A live writer's temp dir (this process) is left alone.
    await mkdir(`${dir}.tmp-${process.pid}-0001`);

    const touched = await recoverInterruptedWrite(dir);
    expect(touched.length).toBe(2);
    expect(await readFile(join(dir, "model"), "utf8")).toBe("last good");
    expect(existsSync(`${dir}.tmp-${DEAD_PID}-abcd`)).toBe(false);
    expect(existsSync(`${dir}.tmp-${process.pid}-0001`)).toBe(true);
    await rm(`${dir}.tmp-${process.pid}-0001`, { recursive: true });

    await mkdir(`${dir}.tmp-${DEAD_PID}-0002`);
    await writeDirectoryAtomic(dir, async (tmp) => writeFile(join(tmp, "model"), "new"));
    expect(await readFile(join(dir, "model"), "utf8")).toBe("new");
    expect((await readdir(root)).filter((n) => n.startsWith("crash"))).toEqual(["crash"]);
  });
});

describe("writeFileAtomic", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "recurse-atomicf-"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("writes and replaces a file without leaving temp files", async () => {
    const path = join(root, "deep", "results.json");
    await writeFileAtomic(path, '{"a":1}');
    await writeFileAtomic(path, new Uint8Array([123, 125]));
    expect(await readFile(path, "utf8")).toBe("{}");
    expect(await readdir(join(root, "deep"))).toEqual(["results.json"]);
  });

  it("fails with a CheckpointError naming the file and cleans up", async () => {
    const blocker = join(root, "blocker");
    await writeFile(blocker, "a file where a directory is needed");
    const err = await writeFileAtomic(join(blocker, "x.json"), "{}").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as Error).message).toMatch(/blocker[/\\]x\.json: cannot write file/);
    const target = join(root, "dir-target");
    await mkdir(target);
    await expect(writeFileAtomic(target, "x")).rejects.toThrow(/dir-target: cannot write file/);
    expect((await readdir(root)).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });
});
