import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import { DataFormatError } from "../errors";
import { encodeNpyHeader } from "./npy-header";
import { showValue } from "./show-value";
import { assertLittleEndianHost, bytesOf, elementCount, toTypedArray } from "./typed-values";

/** dtypes the streaming writer produces. */
export type NpyWritableDtype = "int32" | "uint8" | "float32";

/** Options of {@link NpyWriter.open}. */
export interface NpyWriterOptions {
  /** Bytes buffered before a write to disk (default 4 MiB). */
  bufferBytes?: number;
}

function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) {
    done += writeSync(fd, bytes, done, bytes.length - done, position + done);
  }
}

/**
 * Streams rows of a `[rows, ...innerShape]` array to a `.npy` file, so a dataset builder never holds every row in
 * memory. The header is written first with 0 rows; numpy's header keeps spare room for 21 digits of the first axis,
 * so `close()` rewrites it in place with the final count and the file is byte-identical to `np.save` of the whole
 * array.
 *
 * @example
 * const w = NpyWriter.open("all__inputs.npy", "uint8", [81]);
 * w.append(rowA); // 81 values
 * w.append(rowsBC); // 162 values: two rows
 * await w.close(); // shape (2 + 1, 81)
 */
export class NpyWriter {
  readonly path: string;
  readonly dtype: NpyWritableDtype;
  readonly innerShape: readonly number[];
  /** Elements per row (product of innerShape). */
  readonly rowSize: number;
  private fd: number | null;
  private readonly headerLength: number;
  private readonly buffer: Uint8Array;
  private buffered = 0;
  private rowCount = 0;
  /** File offset of the next write. */
  private offset: number;

  private constructor(path: string, dtype: NpyWritableDtype, innerShape: readonly number[], fd: number, headerLength: number, bufferBytes: number) {
    this.path = path;
    this.dtype = dtype;
    this.innerShape = [...innerShape];
    this.rowSize = innerShape.reduce((a, b) => a * b, 1);
    this.fd = fd;
    this.headerLength = headerLength;
    this.offset = headerLength;
    this.buffer = new Uint8Array(bufferBytes);
  }

  /** Create (or truncate) `path` and write a provisional header. */
  static open(path: string, dtype: NpyWritableDtype, innerShape: readonly number[], options: NpyWriterOptions = {}): NpyWriter {
    assertLittleEndianHost();
    if (dtype !== "int32" && dtype !== "uint8" && dtype !== "float32") {
      throw new DataFormatError(`cannot stream dtype ${showValue(dtype)}`, { file: path, field: "dtype", expected: "int32, uint8 or float32" });
    }
    const n = elementCount(innerShape, { file: path, field: "innerShape" });
    if (n === 0) throw new DataFormatError("rows must not be empty", { file: path, field: "innerShape", expected: "positive dimensions" });
    const header = encodeNpyHeader(dtype, [0, ...innerShape]);
    let fd: number;
    try {
      fd = openSync(path, "w");
      writeAll(fd, header, 0);
    } catch (cause) {
      throw new DataFormatError(`cannot write file: ${(cause as Error).message}`, { file: path }, { cause });
    }
    return new NpyWriter(path, dtype, innerShape, fd, header.length, Math.max(1 << 16, options.bufferBytes ?? 4 << 20));
  }

  /** Rows appended so far. */
  get rows(): number {
    return this.rowCount;
  }

  /**
   * Append one or more whole rows, flattened in C order. Plain arrays are range-checked against the dtype;
   * a typed array of the dtype is copied as is.
   */
  append(values: ArrayLike<number>): void {
    const fd = this.openFd();
    if (values.length % this.rowSize !== 0) {
      throw new DataFormatError(`appended ${values.length} values, not a multiple of the row size ${this.rowSize}`, {
        file: this.path,
        field: `row ${this.rowCount}`,
      });
    }
    const bytes = bytesOf(toTypedArray(this.dtype, values, { file: this.path, field: `row ${this.rowCount}` }));
    if (this.buffered + bytes.length > this.buffer.length) this.flush(fd);
    if (bytes.length >= this.buffer.length) {
      this.write(fd, bytes);
    } else {
      this.buffer.set(bytes, this.buffered);
      this.buffered += bytes.length;
    }
    this.rowCount += values.length / this.rowSize;
  }

  /** Flush, write the final row count into the header and close the file. Returns the final shape. */
  async close(): Promise<number[]> {
    const fd = this.openFd();
    const shape = [this.rowCount, ...this.innerShape];
    try {
      this.flush(fd);
      const header = encodeNpyHeader(this.dtype, shape);
      // Cannot happen with safe-integer row counts (at most 16 digits of the 21 reserved); guards the invariant.
      if (header.length !== this.headerLength) throw new Error(`header length changed from ${this.headerLength} to ${header.length}`);
      writeAll(fd, header, 0);
    } catch (cause) {
      throw new DataFormatError(`cannot finish file: ${(cause as Error).message}`, { file: this.path }, { cause });
    } finally {
      this.fd = null;
      closeSync(fd);
    }
    return shape;
  }

  /** Close and delete the partial file (after an error in the producer). Safe to call twice. */
  abort(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
    rmSync(this.path, { force: true });
  }

  private openFd(): number {
    if (this.fd === null) throw new DataFormatError("writer is already closed", { file: this.path });
    return this.fd;
  }

  private flush(fd: number): void {
    if (this.buffered === 0) return;
    this.write(fd, this.buffer.subarray(0, this.buffered));
    this.buffered = 0;
  }

  private write(fd: number, bytes: Uint8Array): void {
    try {
      writeAll(fd, bytes, this.offset);
      this.offset += bytes.length;
    } catch (cause) {
      throw new DataFormatError(`cannot write file: ${(cause as Error).message}`, { file: this.path }, { cause });
    }
  }
}
