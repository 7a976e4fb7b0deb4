import { describe, expect, it } from "vitest";
import { GemmPool, type GemmJob } from "../src/engine/kernels/gemm-pool";

// The batched SIMD matmul kernel and its thread pool on a heap of their own, against a plain JS product.

function heapOf(shared: boolean) {
  const memory = shared
    ? new WebAssembly.Memory({ initial: 256, maximum: 4096, shared: true })
    : new WebAssembly.Memory({ initial: 256 });
  let top = 1024;
  const malloc = (n: number) => {
    const p = top;
    top += Math.ceil(n / 16) * 16;
    const needed = Math.ceil(top / 65536) - memory.buffer.byteLength / 65536;
    if (needed > 0) memory.grow(needed);
    return p;
  };
  return { memory, malloc, free: () => undefined };
}

function fill(memory: WebAssembly.Memory, ptr: number, n: number, seed: number): Float32Array {
  const view = new Float32Array(memory.buffer, ptr, n);
  for (let i = 0; i < n; i++) view[i] = Math.sin(seed * 7.1 + i * 0.37);
  return view.slice();
}

interface Case {
  batchA: number;
  batchB: number;
  M: number;
  N: number;
  K: number;
  tA: boolean;
  tB: boolean;
}

function runCase(pool: GemmPool, heap: ReturnType<typeof heapOf>, c: Case, seed: number): number {
  const batch = Math.max(c.batchA, c.batchB);
  const aPtr = heap.malloc(c.batchA * c.M * c.K * 4);
  const bPtr = heap.malloc(c.batchB * c.K * c.N * 4);
  const cPtr = heap.malloc(batch * c.M * c.N * 4 + 64);
  const A = fill(heap.memory, aPtr, c.batchA * c.M * c.K, seed);
  const B = fill(heap.memory, bPtr, c.batchB * c.K * c.N, seed + 1);
  new Float32Array(heap.memory.buffer, cPtr, batch * c.M * c.N + 16).fill(-9);
  const job: GemmJob = {
    a: aPtr,
    b: bPtr,
    c: cPtr,
    batch,
    M: c.M,
    N: c.N,
    K: c.K,
    aBatchStride: c.batchA === 1 ? 0 : c.M * c.K * 4,
    bBatchStride: c.batchB === 1 ? 0 : c.K * c.N * 4,
    cBatchStride: c.M * c.N * 4,
    sAm: c.tA ? 4 : c.K * 4,
    sAk: c.tA ? c.M * 4 : 4,
    sBk: c.tB ? 4 : c.N * 4,
    sBn: c.tB ? c.K * 4 : 4,
  };
  pool.run(job);
  const C = new Float32Array(heap.memory.buffer, cPtr, batch * c.M * c.N + 16);
  let worst = 0;
  for (let bi = 0; bi < batch; bi++) {
    const ao = (c.batchA === 1 ? 0 : bi) * c.M * c.K;
    const bo = (c.batchB === 1 ? 0 : bi) * c.K * c.N;
    for (let i = 0; i < c.M; i++) {
      for (let j = 0; j < c.N; j++) {
        let s = 0;
        for (let k = 0; k < c.K; k++) {
          const a = A[ao + (c.tA ? k * c.M + i : i * c.K + k)];
          const b = B[bo + (c.tB ? j * c.K + k : k * c.N + j)];
          s += a * b;
        }
        worst = Math.max(worst, Math.abs(C[bi * c.M * c.N + i * c.N + j] - s) / (1 + Math.abs(s)));
      }
    }
  }
  // Nothing written past the output.
  expect(C[batch * c.M * c.N]).toBe(-9);
  return worst;
}

describe("GemmPool", () => {
  it("a non-shared heap runs on the calling thread only", () => {
    const heap = heapOf(false);
    const pool = new GemmPool(heap.memory, heap, 4);
    expect(pool.threads).toBe(1);
    expect(runCase(pool, heap, { batchA: 3, batchB: 3, M: 9, N: 13, K: 7, tA: true, tB: false }, 1)).toBeLessThan(1e-5);
    pool.dispose();
  });

  it("two threads on a shared heap: many jobs, parallel and serial, every layout", async () => {
    const heap = heapOf(true);
    const pool = new GemmPool(heap.memory, heap, 2);
    expect(pool.threads).toBe(2);
    await pool.whenReady();
    const cases: Case[] = [];
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        cases.push({ batchA: 16, batchB: 16, M: 33, N: 41, K: 48, tA, tB }); // parallel by slices
        cases.push({ batchA: 1, batchB: 1, M: 150, N: 70, K: 101, tA, tB }); // parallel by row blocks
        cases.push({ batchA: 4, batchB: 1, M: 5, N: 3, K: 2, tA, tB }); // small: serial
        cases.push({ batchA: 1, batchB: 12, M: 64, N: 40, K: 40, tA, tB }); // shared A
      }
    }
    for (let round = 0; round < 3; round++) {
      cases.forEach((c, i) => expect(runCase(pool, heap, c, round * 100 + i)).toBeLessThan(1e-5));
    }
    // A few milliseconds-long jobs: the worker wakes within one and takes units of it.
    for (let i = 0; i < 4; i++) {
      expect(runCase(pool, heap, { batchA: 24, batchB: 24, M: 96, N: 96, K: 96, tA: false, tB: true }, i)).toBeLessThan(
        1e-5,
      );
    }
    const [mine, worker] = pool.unitsByThread();
    expect(mine).toBeGreaterThan(0);
    expect(worker).toBeGreaterThan(0);
    pool.dispose();
  });
});
