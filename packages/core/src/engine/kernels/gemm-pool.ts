import { Worker } from "node:worker_threads";
import { kernelModuleBytes, type KernelExports } from "./kernel-module";

/**
 * Runs the batched-matmul kernel on the calling thread plus `threads - 1` worker threads, all on the same (shared)
 * wasm heap. Work is split coarsely, into whole matrix slices (or row blocks of one slice when the batch is small),
 * and claimed one unit at a time from a shared counter: a thread that the OS preempts (the machine is shared) just
 * takes fewer units, instead of stalling a fine-grained barrier.
 *
 * Synchronisation is a small seqlock over an `Int32Array` on a SharedArrayBuffer, using only `Atomics`:
 * - the caller marks the generation odd ("writing"), waits until no worker is inside the previous job, writes the
 *   job, resets the counters and publishes the next even generation;
 * - a worker enters a job by incrementing ACTIVE and re-checking the generation, so it never reads a half-written
 *   job or claims units of a job it did not read.
 */

/** A batched product C[i] = op(A[i]) · op(B[i]) described by byte addresses and byte strides on the heap. */
export interface GemmJob {
  a: number;
  b: number;
  c: number;
  batch: number;
  M: number;
  N: number;
  K: number;
  /** Byte step between batch slices (0 broadcasts one slice to the whole batch). */
  aBatchStride: number;
  bBatchStride: number;
  cBatchStride: number;
  /** Byte steps of A along rows (m) and the shared dimension (k). */
  sAm: number;
  sAk: number;
  /** Byte steps of B along the shared dimension (k) and columns (n). */
  sBk: number;
  sBn: number;
  /** Byte step between rows of C (default N·4: C rows contiguous). */
  ldc?: number;
  /** Add the product to C instead of overwriting it (a later block of a long shared dimension). */
  accumulate?: boolean;
}

// Control block layout (Int32 slots).
const GEN = 0;
const ACTIVE = 1;
const NEXT = 2;
const DONE = 3;
const ERROR = 4;
const TOTAL = 5;
const PARAMS = 8;
const SHARED_PACKED = 24;
const ACCUMULATE = 25;
const SCRATCH = 32;
const SPILL = 64;
const UNITS_BY_THREAD = 96;
const CONTROL_SLOTS = 128;
const MAX_THREADS = 32;

/**
 * The unit loop, shared verbatim by the caller and the workers (workers get it as source text, so it must not
 * reference anything outside itself).
 */
const UNIT_LOOP_SOURCE = `function runUnits(ctrl, ex, t) {
  const total = ctrl[5];
  const a = ctrl[8], b = ctrl[9], c = ctrl[10], M = ctrl[11], N = ctrl[12], K = ctrl[13];
  const aBS = ctrl[14], bBS = ctrl[15], cBS = ctrl[16];
  const sAm = ctrl[17], sAk = ctrl[18], sBk = ctrl[19], sBn = ctrl[20];
  const rowsPerUnit = ctrl[21], unitsPerBatch = ctrl[22], ldc = ctrl[23], accumulate = ctrl[25];
  const shared = ctrl[24];
  const packed = shared !== 0 ? shared : ctrl[32 + t], spill = ctrl[64 + t], apack = spill + 256;
  // With one B for all slices the caller packed it already: bAddr below is always b, so nothing repacks.
  let lastB = shared !== 0 ? b : NaN;
  for (;;) {
    const u = Atomics.add(ctrl, 2, 1);
    if (u >= total) return;
    try {
      const bi = (u / unitsPerBatch) | 0;
      const r0 = (u - bi * unitsPerBatch) * rowsPerUnit;
      const r1 = Math.min(M, r0 + rowsPerUnit);
      const bAddr = b + bi * bBS;
      if (bAddr !== lastB) {
        ex.packB(bAddr, sBk, sBn, K, N, packed);
        lastB = bAddr;
      }
      ex.gemmRows(a + bi * aBS, sAm, sAk, packed, K, N, c + bi * cBS, ldc, r0, r1, spill, accumulate, apack);
    } catch (e) {
      Atomics.store(ctrl, 4, 1);
    }
    Atomics.add(ctrl, 96 + t, 1);
    if (Atomics.add(ctrl, 3, 1) + 1 === total) Atomics.notify(ctrl, 3);
  }
}`;

const WORKER_SOURCE = `"use strict";
const { workerData, parentPort } = require("node:worker_threads");
${UNIT_LOOP_SOURCE}
const { module, memory, control, index } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctrl = new Int32Array(control);
parentPort.postMessage("ready");
let seen = 0;
for (;;) {
  const g = Atomics.load(ctrl, 0);
  if (g === seen || (g & 1) === 1) {
    Atomics.wait(ctrl, 0, g);
    continue;
  }
  Atomics.add(ctrl, 1, 1);
  if (Atomics.load(ctrl, 0) !== g) {
    Atomics.sub(ctrl, 1, 1);
    Atomics.notify(ctrl, 1);
    continue;
  }
  seen = g;
  runUnits(ctrl, ex, index);
  Atomics.sub(ctrl, 1, 1);
  Atomics.notify(ctrl, 1);
}`;

type UnitLoop = (ctrl: Int32Array, ex: KernelExports, t: number) => void;

/** Heap allocator of the tfjs wasm module. */
export interface HeapAllocator {
  malloc(bytes: number): number;
  free(ptr: number): void;
}

/** Below this many multiply-adds a job runs on the calling thread alone: waking a worker costs more. */
const PARALLEL_MIN_MACS = 1 << 20;

export class GemmPool {
  /** Threads that compute a job, the caller included. */
  readonly threads: number;
  /** The engine's kernels instantiated on this thread, over the same heap. */
  readonly exports: KernelExports;
  private readonly ctrl: Int32Array;
  private readonly runUnits: UnitLoop;
  private readonly workers: Worker[] = [];
  private readonly ready: Promise<void>[] = [];
  private readonly scratch: { ptr: number; bytes: number }[] = [];
  private generation = 0;
  /** Milliseconds the calling thread spent waiting on workers (closing a job, or for claimed units to finish). */
  waitMs = 0;

  constructor(private readonly memory: WebAssembly.Memory, private readonly heap: HeapAllocator, threads: number) {
    const shared = typeof SharedArrayBuffer === "function" && memory.buffer instanceof SharedArrayBuffer;
    this.threads = shared ? Math.max(1, Math.min(threads, MAX_THREADS)) : 1;
    const module = new WebAssembly.Module(kernelModuleBytes(shared));
    this.exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
    const control =
      typeof SharedArrayBuffer === "function"
        ? new SharedArrayBuffer(CONTROL_SLOTS * 4)
        : new ArrayBuffer(CONTROL_SLOTS * 4);
    this.ctrl = new Int32Array(control);
    this.runUnits = new Function(`${UNIT_LOOP_SOURCE}\nreturn runUnits;`)() as UnitLoop;
    // One scratch area per thread, plus one for a B packed once for all threads.
    for (let t = 0; t <= this.threads; t++) this.scratch.push({ ptr: 0, bytes: 0 });
    for (let t = 1; t < this.threads; t++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory, control, index: t },
      });
      // Idle workers must not keep the process alive; a crashed one only means fewer hands.
      worker.unref();
      this.ready.push(
        new Promise<void>((resolve) => {
          worker.once("message", () => resolve());
          worker.once("error", () => resolve());
          worker.once("exit", () => resolve());
        }),
      );
      worker.on("error", () => undefined);
      this.workers.push(worker);
    }
  }

  /** Compute the job; returns once every slice is written. Throws if the kernel trapped. */
  run(job: GemmJob): void {
    const { batch, M, N, K } = job;
    if (batch === 0 || M === 0 || N === 0) return;
    if (K === 0) {
      for (let i = 0; i < batch; i++) new Float32Array(this.memory.buffer, job.c + i * job.cBatchStride, M * N).fill(0);
      return;
    }
    const macs = batch * M * N * K;
    const parallel = this.threads > 1 && macs >= PARALLEL_MIN_MACS;
    const hands = parallel ? this.threads : 1;

    // Units: whole slices when the batch alone feeds every thread several times, else row blocks (multiples of 4)
    // small enough that a preempted thread's share can be taken over.
    let rowsPerUnit = M;
    if (parallel && batch < 4 * hands) {
      const blocks = Math.ceil((8 * hands) / batch);
      rowsPerUnit = Math.min(M, Math.max(16, Math.ceil(Math.ceil(M / blocks) / 4) * 4));
    }
    const unitsPerBatch = Math.ceil(M / rowsPerUnit);
    const total = batch * unitsPerBatch;

    const ctrl = this.ctrl;
    if (this.threads > 1) {
      // Close the previous job even when this one runs here alone: mark "writing" (odd), then wait for workers
      // still inside the last job (they finish quickly), so none of them can claim units of this one.
      if ((this.generation & 1) === 0) Atomics.store(ctrl, GEN, ++this.generation);
      if (Atomics.load(ctrl, ACTIVE) !== 0) {
        const t0 = performance.now();
        for (let active = Atomics.load(ctrl, ACTIVE); active !== 0; active = Atomics.load(ctrl, ACTIVE)) {
          Atomics.wait(ctrl, ACTIVE, active, 5);
        }
        this.waitMs += performance.now() - t0;
      }
    }
    // One B for every unit: pack it once here. Otherwise each thread packs the slices it computes. Each thread
    // also needs a tile spill area (256 bytes) and, for a strided A, room for one packed A tile (K·16 bytes).
    const packedBytes = Math.ceil(N / 8) * 8 * K * 4;
    const sharedB = batch === 1 || job.bBatchStride === 0;
    for (let t = 0; t < hands; t++) {
      const s = this.ensureScratch(t, (sharedB ? 0 : packedBytes) + 256 + 16 * K + 16);
      ctrl[SCRATCH + t] = s;
      ctrl[SPILL + t] = sharedB ? s : s + packedBytes;
    }
    if (sharedB) {
      const shared = this.ensureScratch(this.threads, packedBytes);
      this.exports.packB(job.b, job.sBk, job.sBn, K, N, shared);
      ctrl[SHARED_PACKED] = shared;
    } else {
      ctrl[SHARED_PACKED] = 0;
    }
    ctrl[PARAMS + 0] = job.a;
    ctrl[PARAMS + 1] = job.b;
    ctrl[PARAMS + 2] = job.c;
    ctrl[PARAMS + 3] = M;
    ctrl[PARAMS + 4] = N;
    ctrl[PARAMS + 5] = K;
    ctrl[PARAMS + 6] = job.aBatchStride;
    ctrl[PARAMS + 7] = job.bBatchStride;
    ctrl[PARAMS + 8] = job.cBatchStride;
    ctrl[PARAMS + 9] = job.sAm;
    ctrl[PARAMS + 10] = job.sAk;
    ctrl[PARAMS + 11] = job.sBk;
    ctrl[PARAMS + 12] = job.sBn;
    ctrl[PARAMS + 13] = rowsPerUnit;
    ctrl[PARAMS + 14] = unitsPerBatch;
    ctrl[PARAMS + 15] = job.ldc ?? N * 4;
    ctrl[ACCUMULATE] = job.accumulate ? 1 : 0;
    ctrl[TOTAL] = total;
    ctrl[ERROR] = 0;
    Atomics.store(ctrl, DONE, 0);
    Atomics.store(ctrl, NEXT, 0);
    if (parallel) {
      Atomics.store(ctrl, GEN, ++this.generation);
      Atomics.notify(ctrl, GEN);
    }
    this.runUnits(ctrl, this.exports, 0);
    if (Atomics.load(ctrl, DONE) < total) {
      const t0 = performance.now();
      for (let done = Atomics.load(ctrl, DONE); done < total; done = Atomics.load(ctrl, DONE)) {
        Atomics.wait(ctrl, DONE, done, 50);
      }
      this.waitMs += performance.now() - t0;
    }
    if (Atomics.load(ctrl, ERROR) !== 0) {
      throw new Error(`batched matmul kernel failed for [${batch}, ${M}, ${K}] x [${K}, ${N}]`);
    }
  }

  private ensureScratch(t: number, bytes: number): number {
    const s = this.scratch[t];
    if (s.bytes < bytes) {
      if (s.ptr !== 0) this.heap.free(s.ptr);
      const size = Math.max(bytes, 2 * s.bytes);
      s.ptr = this.heap.malloc(size);
      if (s.ptr === 0) throw new Error(`out of wasm memory allocating ${size} bytes of matmul scratch`);
      s.bytes = size;
    }
    return s.ptr;
  }

  /** Resolves once every worker has started (or failed to); jobs never wait for this, it is for callers that care. */
  async whenReady(): Promise<void> {
    await Promise.all(this.ready);
  }

  /** Work units each thread has computed so far (index 0: the calling thread). */
  unitsByThread(): number[] {
    return Array.from({ length: this.threads }, (_, t) => Atomics.load(this.ctrl, UNITS_BY_THREAD + t));
  }

  /** Stop the workers and free the scratch memory. */
  dispose(): void {
    for (const worker of this.workers) void worker.terminate();
    this.workers.length = 0;
    for (const s of this.scratch) if (s.ptr !== 0) this.heap.free(s.ptr);
    this.scratch.length = 0;
  }
}
