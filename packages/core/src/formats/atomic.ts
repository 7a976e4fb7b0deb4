import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { CheckpointError, RecurseError } from "../errors";

/**
 * Crash-safe writes: build the new content beside the target (same directory, so the final rename stays on one
 * filesystem and is atomic), fsync it, then rename it into place. Readers see the old version or the new one,
 * never a half-written one.
 */

const TMP = ".tmp-";
const OLD = ".old-";

function siblingName(target: string, kind: string): string {
  return `${target}${kind}${process.pid}-${randomBytes(4).toString("hex")}`;
}

/** True when `name` is a temp/old sibling of `base` left by a process that no longer runs. */
function isStaleSibling(name: string, base: string, kind: string): boolean {
  if (!name.startsWith(base + kind)) return false;
  const m = /^(\d+)-[0-9a-f]+$/.exec(name.slice(base.length + kind.length));
  if (!m) return false;
  const pid = Number(m[1]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** fsync a file or directory. Directories cannot be opened for sync on some platforms (Windows): ignored there. */
async function fsyncPath(path: string, isDirectory: boolean): Promise<void> {
  let handle;
  try {
    handle = await open(path, "r");
    await handle.sync();
  } catch (e) {
    if (!isDirectory) throw e;
  } finally {
    await handle?.close();
  }
}

async function fsyncTree(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await fsyncTree(path);
    else if (entry.isFile()) await fsyncPath(path, false);
  }
  await fsyncPath(dir, true);
}

function fsError(what: string, path: string, cause: unknown): CheckpointError {
  return new CheckpointError(`${what}: ${(cause as Error).message}`, { file: path }, { cause });
}

/**
 * Leftovers of interrupted writes of `target`, by processes that are gone: temp siblings are deleted; if `target`
 * itself is missing but an old sibling exists (a crash between the two renames of a replace), the old one is
 * renamed back. Returns the paths deleted or restored.
 *
 * @example
 * await recoverInterruptedWrite("runs/a/checkpoint"); // [] when nothing was left behind
 */
export async function recoverInterruptedWrite(target: string): Promise<string[]> {
  const abs = resolve(target);
  const parent = dirname(abs);
  const base = basename(abs);
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return [];
  }
  const touched: string[] = [];
  for (const name of names) {
    if (isStaleSibling(name, base, TMP)) {
      await rm(join(parent, name), { recursive: true, force: true });
      touched.push(join(parent, name));
    }
  }
  const olds = names.filter((n) => isStaleSibling(n, base, OLD));
  if (olds.length > 0 && !(await exists(abs))) {
    const newest = (await Promise.all(olds.map(async (n) => ({ n, t: (await stat(join(parent, n))).mtimeMs })))).sort((a, b) => b.t - a.t)[0].n;
    await rename(join(parent, newest), abs);
    touched.push(join(parent, newest));
  }
  for (const name of olds) {
    if (await exists(join(parent, name))) {
      await rm(join(parent, name), { recursive: true, force: true });
      touched.push(join(parent, name));
    }
  }
  return touched;
}

/**
 * Write a directory atomically: `fill` writes into a fresh temporary sibling, everything is fsynced, then the
 * sibling is renamed to `dir`. An existing `dir` is kept until the new one is complete, then replaced (renamed
 * aside, the new one renamed in, the old one deleted). If `fill` throws, the temporary directory is removed and
 * `dir` is untouched. Leftovers of earlier crashed writes are cleaned first (see {@link recoverInterruptedWrite}).
 *
 * @example
 * await writeDirectoryAtomic("runs/a/checkpoint", async (tmp) => {
 *   await writeFile(join(tmp, "config.json"), "{}");
 * });
 */
export async function writeDirectoryAtomic(dir: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const abs = resolve(dir);
  try {
    await mkdir(dirname(abs), { recursive: true });
    await recoverInterruptedWrite(abs);
  } catch (cause) {
    throw fsError("cannot prepare the directory", abs, cause);
  }
  const tmp = siblingName(abs, TMP);
  try {
    await mkdir(tmp);
    await fill(tmp);
    await fsyncTree(tmp);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    if (e instanceof RecurseError) throw e;
    throw fsError("cannot write the new directory", tmp, e);
  }
  let old: string | undefined;
  try {
    if (await exists(abs)) {
      old = siblingName(abs, OLD);
      await rename(abs, old);
    }
    await rename(tmp, abs);
  } catch (cause) {
    // Put the previous version back if it was moved aside; the temp directory is garbage now.
    if (old && !(await exists(abs))) await rename(old, abs).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw fsError("cannot move the new directory into place", abs, cause);
  }
  await fsyncPath(dirname(abs), true);
  if (old) await rm(old, { recursive: true, force: true });
}

/**
 * Write one file atomically: to a temporary sibling, fsync, rename over `path`, fsync the directory.
 *
 * @example
 * await writeFileAtomic("runs/a/results.json", JSON.stringify(results));
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const abs = resolve(path);
  const tmp = siblingName(abs, TMP);
  try {
    await mkdir(dirname(abs), { recursive: true });
    const handle = await open(tmp, "w");
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, abs);
  } catch (cause) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw fsError("cannot write file", abs, cause);
  }
  await fsyncPath(dirname(abs), true);
}
