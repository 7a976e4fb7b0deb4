import { open, type FileHandle } from "node:fs/promises";
import { DataFormatError, RecurseError } from "../errors";
import { convertNpyData } from "./npy";
import { npyItemSize, parseNpyHeader, type NpyHeader } from "./npy-header";
import { assertLittleEndianHost, elementCount, type ArrayData, type ArrayDtype } from "./typed-values";

/** Bytes read first to find the header; numpy headers are 128 bytes for any shape we write. */
const FIRST_READ = 4096;
/** numpy's limit of 65535 + prefix for v1, our parser's 1 MiB for v2/v3. */
const MAX_HEADER_READ = (1 << 20) + 12;

async function readAt(handle: FileHandle, position: number, length: number, file: string): Promise<Uint8Array> {
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
 * Reads rows of a large `.npy` file on demand, so an array bigger than memory (e.g. ARC inputs with 1000
 * augmentations) can be sampled without loading it. Same dtypes and checks as {@link decodeNpy}; row `i` is
 * `array[i]`, flattened (a 0-d array is one row of one element).
 *
 * @example
 * const reader = await NpyReader.open("data/arc/train/all__inputs.npy");
 * const rows = await reader.readRows(1000, 32); // [32, 900] as a flat Int32Array or Uint8Array
 * await reader.close();
 */
export class NpyReader {
  readonly path: string;
  readonly header: NpyHeader;
  /** dtype of what `readRows` returns (int64 narrowed to int32). */
  readonly dtype: ArrayDtype;
  readonly shape: readonly number[];
  readonly rows: number;
  /** Elements per row. */
  readonly rowSize: number;
  private handle: FileHandle | null;

  private constructor(path: string, handle: FileHandle, header: NpyHeader) {
    this.path = path;
    this.handle = handle;
    this.header = header;
    this.shape = header.shape;
    this.dtype = header.dtype === "int64" ? "int32" : header.dtype;
    this.rows = header.shape.length === 0 ? 1 : header.shape[0];
    this.rowSize = header.shape.length === 0 ? 1 : header.shape.slice(1).reduce((a, b) => a * b, 1);
  }

  /** Open `path`, parse its header and check that the file holds exactly the announced data. */
  static async open(path: string): Promise<NpyReader> {
    assertLittleEndianHost();
    let handle: FileHandle;
    try {
      handle = await open(path, "r");
    } catch (cause) {
      throw new DataFormatError(`cannot read file: ${(cause as Error).message}`, { file: path }, { cause });
    }
    try {
      const size = (await handle.stat()).size;
      let head = await readAt(handle, 0, Math.min(size, FIRST_READ), path);
      let header: NpyHeader;
      try {
        header = parseNpyHeader(head, path);
      } catch (e) {
        // The header may be longer than the first read: read what it announces and parse again.
        if (!(e instanceof DataFormatError) || !/truncated header/.test(e.message) || size <= head.length) throw e;
        head = await readAt(handle, 0, Math.min(size, MAX_HEADER_READ), path);
        header = parseNpyHeader(head, path);
      }
      const n = elementCount(header.shape, { file: path, field: "shape" });
      const available = size - header.dataOffset;
      const itemSize = npyItemSize(header.dtype);
      if (n > available / itemSize || available !== n * itemSize) {
        throw new DataFormatError(`file holds ${available} data bytes, shape [${header.shape.join(", ")}] needs ${n * itemSize}`, {
          file: path,
          field: "data",
          expected: `${n * itemSize} bytes`,
        });
      }
      return new NpyReader(path, handle, header);
    } catch (e) {
      await handle.close();
      if (e instanceof RecurseError) throw e;
      throw new DataFormatError(`cannot read file: ${(e as Error).message}`, { file: path }, { cause: e });
    }
  }

  /** Rows `[start, start + count)`, flattened in C order. */
  async readRows(start: number, count: number): Promise<ArrayData> {
    if (this.handle === null) throw new DataFormatError("reader is closed", { file: this.path });
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(count) || start < 0 || count < 0 || start + count > this.rows) {
      throw new DataFormatError(`rows [${start}, ${start + count}) out of range`, { file: this.path, field: "rows", expected: `within [0, ${this.rows})` });
    }
    const itemSize = npyItemSize(this.header.dtype);
    const rowBytes = this.rowSize * itemSize;
    let raw: Uint8Array;
    try {
      raw = await readAt(this.handle, this.header.dataOffset + start * rowBytes, count * rowBytes, this.path);
    } catch (e) {
      if (e instanceof RecurseError) throw e;
      throw new DataFormatError(`cannot read file: ${(e as Error).message}`, { file: this.path }, { cause: e });
    }
    return convertNpyData(this.header.dtype, raw, this.path, start * this.rowSize).data;
  }

  /** Close the file. Safe to call twice. */
  async close(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    await h?.close();
  }
}
