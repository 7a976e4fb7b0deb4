import type { FileHandle } from "node:fs/promises";
import { DataFormatError } from "../errors";
import { openForRead, readExactly, readFailure } from "./file-io";
import { convertNpyData } from "./npy";
import { npyItemSize, NPY_FIRST_READ, NPY_MAX_HEADER_READ, parseNpyHeader, type NpyHeader } from "./npy-header";
import { assertLittleEndianHost, elementCount, type ArrayData, type ArrayDtype } from "./typed-values";

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
    const handle = await openForRead(path);
    try {
      const size = (await handle.stat()).size;
      let head = await readExactly(handle, 0, Math.min(size, NPY_FIRST_READ), path);
      let header: NpyHeader;
      try {
        header = parseNpyHeader(head, path);
      } catch (e) {
        // The header may be longer than the first read: read what it announces and parse again.
        if (!(e instanceof DataFormatError) || !/truncated header/.test(e.message) || size <= head.length) throw e;
        head = await readExactly(handle, 0, Math.min(size, NPY_MAX_HEADER_READ), path);
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
      throw readFailure(e, path);
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
      raw = await readExactly(this.handle, this.header.dataOffset + start * rowBytes, count * rowBytes, this.path);
    } catch (e) {
      throw readFailure(e, this.path);
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
