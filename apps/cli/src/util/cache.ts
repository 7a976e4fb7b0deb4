import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** The CLI's cache directory: $RECURSE_CACHE_DIR, else $XDG_CACHE_HOME/recurse, else ~/.cache/recurse. */
export function cacheDir(env: Record<string, string | undefined>): string {
  return env.RECURSE_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "recurse");
}

/**
 * A small JSON key-value file in the cache directory. Reads tolerate a missing or corrupt file; writes are
 * atomic (temporary file, then rename) and silently skipped where the directory is not writable.
 */
export class JsonCache<V> {
  private data: Record<string, V> | undefined;
  private dirty = false;
  constructor(private readonly file: string) {}

  get(key: string): V | undefined {
    return this.load()[key];
  }

  set(key: string, value: V): void {
    this.load()[key] = value;
    this.dirty = true;
  }

  save(): void {
    if (!this.dirty || !this.data) return;
    try {
      mkdirSync(join(this.file, ".."), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.data));
      renameSync(tmp, this.file);
      this.dirty = false;
    } catch {
      // A read-only home is not an error: counts are recomputed next time.
    }
  }

  private load(): Record<string, V> {
    if (this.data) return this.data;
    try {
      this.data = JSON.parse(readFileSync(this.file, "utf8")) as Record<string, V>;
    } catch {
      this.data = {};
    }
    return this.data;
  }
}
