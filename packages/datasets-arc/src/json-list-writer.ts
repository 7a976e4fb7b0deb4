import { closeSync, openSync, writeSync } from "node:fs";
import { DataFormatError } from "@recurse/core";

/**
 * Writes a JSON list of strings one entry at a time (compact, newline-terminated, like `JSON.stringify(list)`), so
 * a build with a million puzzle identifiers never holds all their names.
 */
export class JsonListWriter {
  private fd: number | null;
  private chunks: string[] = [];
  private pending = 0;
  private count = 0;

  constructor(readonly file: string) {
    try {
      this.fd = openSync(file, "w");
    } catch (cause) {
      throw new DataFormatError(`cannot write file: ${(cause as Error).message}`, { file }, { cause });
    }
    this.chunks.push("[");
  }

  /** Entries written so far. */
  get length(): number {
    return this.count;
  }

  push(value: string): void {
    const text = (this.count > 0 ? "," : "") + JSON.stringify(value);
    this.chunks.push(text);
    this.pending += text.length;
    this.count++;
    if (this.pending > 1 << 20) this.flush();
  }

  close(): void {
    this.chunks.push("]\n");
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private flush(): void {
    if (this.fd === null) throw new DataFormatError("writer is already closed", { file: this.file });
    const text = this.chunks.join("");
    try {
      writeSync(this.fd, text);
    } catch (cause) {
      throw new DataFormatError(`cannot write file: ${(cause as Error).message}`, { file: this.file }, { cause });
    }
    this.chunks = [];
    this.pending = 0;
  }
}
