import { open, type FileHandle } from "node:fs/promises";
import { DataFormatError, RecurseError } from "../errors";

/**
 * File access of the array-file formats (`.npy`, `.safetensors`): readers read by position (a header first, checked
 * against the file size, then only the bytes it announces); writers write header and data as separate parts, never
 * concatenated in memory. Every failure is a {@link DataFormatError} naming the file.
 */

/**
 * Open `path` for reading; a missing or unreadable file is a {@link DataFormatError} naming it.
 *
 * @example
 * const handle = await openForRead("all__inputs.npy");
 */
export async function openForRead(path: string): Promise<FileHandle> {
  try {
    return await open(path, "r");
  } catch (cause) {
    throw new DataFormatError(`cannot read file: ${(cause as Error).message}`, { file: path }, { cause });
  }
}

/**
 * `length` bytes at `position`, failing if the file ends first (a read may return fewer bytes than asked).
 *
 * @example
 * const prefix = await readExactly(handle, 0, 8, "model.safetensors");
 */
export async function readExactly(handle: FileHandle, position: number, length: number, file: string): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(out, done, length - done, position + done);
    if (bytesRead === 0) throw new DataFormatError(`file ended after ${position + done} bytes`, { file, field: "data" });
    done += bytesRead;
  }
  return out;
}

/**
 * What a reader throws for `e`: a {@link RecurseError} as it is (it already names the file and field), anything
 * else (an I/O error) as a "cannot read file" {@link DataFormatError} naming `file`.
 *
 * @example
 * try { ... } catch (e) { throw readFailure(e, path); }
 */
export function readFailure(e: unknown, file: string): RecurseError {
  if (e instanceof RecurseError) return e;
  return new DataFormatError(`cannot read file: ${(e as Error).message}`, { file }, { cause: e });
}

/**
 * Write `parts` one after the other to `path` (created or truncated), without concatenating them in memory.
 *
 * @example
 * await writeParts("x.npy", [header, bytesOf(data)]);
 */
export async function writeParts(path: string, parts: readonly Uint8Array[]): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, "w");
    // writeFile on a handle writes everything from the current position (write() may write part).
    for (const part of parts) await handle.writeFile(part);
  } catch (cause) {
    throw new DataFormatError(`cannot write file: ${(cause as Error).message}`, { file: path }, { cause });
  } finally {
    await handle?.close();
  }
}
