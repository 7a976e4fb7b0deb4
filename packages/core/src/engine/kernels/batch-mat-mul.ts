import { tf } from "../../tf";
import { wasmRuntime, type WasmBackendLike, type WasmRuntime } from "./wasm-runtime";

/**
 * `BatchMatMul` for the wasm backend. tfjs's own kernel is fast only for one un-transposed 2-D product (it hands
 * that to XNNPACK); transposes and batches fall back to a scalar triple loop (~2 GFLOP/s). Here every product runs
 * the engine's SIMD kernel on all threads:
 * - transposed operands are read through strides while the kernel packs them (B once per product or slice, A one
 *   tile at a time), so no transpose is ever materialised;
 * - a batch of A against one B folds into one tall product (or, A transposed, shares one packed B), and rows or
 *   slices are split over threads;
 * - long shared dimensions run in blocks with C accumulating, and wide B in column blocks, to stay in cache.
 */

interface MatMulGeometry {
  /** Output rows, shared dimension, output columns of each slice. */
  M: number;
  K: number;
  N: number;
  batchA: number;
  batchB: number;
  /** Broadcast batch shape of the output. */
  batchShape: number[];
}

function geometry(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): MatMulGeometry {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const M = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const Ka = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const Kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const N = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (Ka !== Kb) {
    throw new Error(
      `Error in matMul: inner shapes (${Ka}) and (${Kb}) of Tensors with shapes ${a.shape} and ${b.shape} and ` +
        `transposeA=${transposeA} and transposeB=${transposeB} must match.`,
    );
  }
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  return {
    M,
    K: Ka,
    N,
    batchA: tf.util.sizeFromShape(outerA),
    batchB: tf.util.sizeFromShape(outerB),
    batchShape: tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB),
  };
}

/** Repeats `x` ([...batch, r, c]) along broadcast batch axes so its batch matches `batchShape`. */
function broadcastBatch(backend: WasmBackendLike, x: tf.TensorInfo, batchShape: number[]): tf.TensorInfo {
  const inner = x.shape.slice(-2);
  const outer = x.shape.slice(0, -2);
  const padded = [...new Array(batchShape.length - outer.length).fill(1), ...outer];
  const view: tf.TensorInfo = {
    dataId: x.dataId,
    shape: [...padded, ...inner],
    dtype: x.dtype,
  };
  const reps = [...batchShape.map((d, i) => (padded[i] === d ? 1 : d)), 1, 1];
  const tile = tf.getKernel("Tile", "wasm");
  return tile.kernelFunc({
    inputs: { x: view },
    backend: backend as unknown as tf.KernelBackend,
    attrs: { reps },
  }) as tf.TensorInfo;
}

/** Packed B beyond this many bytes no longer stays in a core's cache; such products run in column blocks. */
const PACKED_B_BUDGET = 4 << 20;
/** A shared dimension longer than this runs in blocks of KC (C accumulates), so A's tile rows stay in cache. */
const LONG_K = 1024;
const KC = 512;

/**
 * Computes op(a) · op(b) into a new float32 output of shape [...batchShape, M, N].
 * Exported for `_FusedMatMul`, which adds bias and activation afterwards.
 */
export function wasmMatMul(
  rt: WasmRuntime,
  aIn: tf.TensorInfo,
  bIn: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): tf.TensorInfo {
  const backend = rt.backend;
  if (aIn.dtype !== "float32" || bIn.dtype !== "float32") {
    throw new Error("BatchMatMul for non non-float32 tensors not yet supported.");
  }
  const g = geometry(aIn, bIn, transposeA, transposeB);
  const { M, K, N } = g;
  const batch = tf.util.sizeFromShape(g.batchShape);
  const out = backend.makeOutput([...g.batchShape, M, N], "float32");
  if (batch * M * N === 0) return out;

  const temps: tf.TensorInfo[] = [];
  try {
    let a = aIn;
    let b = bIn;
    let batchA = g.batchA;
    let batchB = g.batchB;
    // Batches that are neither equal nor one (e.g. [2,1] with [1,3]) are rare: repeat them to the output's batch.
    if (batchA !== batchB && batchA !== 1 && batchB !== 1) {
      a = broadcastBatch(backend, a, g.batchShape);
      b = broadcastBatch(backend, b, g.batchShape);
      temps.push(a, b);
      batchA = batchB = batch;
    }

    const tA = transposeA;
    // One B for all slices and a row-major A: one tall product [batchA·M, K] x [K, N].
    const fold = batchB === 1 && !tA;
    const addr = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
    const job = {
      a: addr(a),
      b: addr(b),
      c: addr(out),
      batch: fold ? 1 : batch,
      M: fold ? batchA * M : M,
      N,
      K,
      aBatchStride: batchA === 1 ? 0 : M * K * 4,
      bBatchStride: batchB === 1 ? 0 : K * N * 4,
      cBatchStride: M * N * 4,
      // A is [M, K] or, transposed, [K, M]; B is [K, N] or, transposed, [N, K].
      sAm: tA ? 4 : K * 4,
      sAk: tA ? M * 4 : 4,
      sBk: transposeB ? 4 : N * 4,
      sBn: transposeB ? K * 4 : 4,
      ldc: N * 4,
    };
    // A long shared dimension (weight gradients: K = batch·sequence) runs in blocks, C accumulating; columns are
    // split so each block's packed B stays in cache while every row tile passes over it.
    const kc = job.batch === 1 && K > LONG_K ? KC : K;
    const block = job.batch === 1 ? Math.max(8, Math.floor(PACKED_B_BUDGET / (kc * 4 * 8)) * 8) : N;
    for (let j = 0; j < N; j += block) {
      const n = Math.min(block, N - j);
      let k0 = 0;
      do {
        // (K = 0 still runs once: the pool writes the zeros.)
        rt.pool.run({
          ...job,
          a: job.a + k0 * job.sAk,
          b: job.b + j * job.sBn + k0 * job.sBk,
          c: job.c + j * 4,
          N: n,
          K: Math.min(kc, K - k0),
          accumulate: k0 > 0,
        });
        k0 += kc;
      } while (k0 < K);
    }
    return out;
  } catch (err) {
    backend.disposeData(out.dataId);
    throw err;
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

function batchMatMul({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = attrs as unknown as {
    transposeA: boolean;
    transposeB: boolean;
  };
  return wasmMatMul(wasmRuntime(backend), a, b, !!transposeA, !!transposeB);
}

/** Kernel config replacing tfjs's wasm `BatchMatMul`. */
export const batchMatMulConfig: tf.KernelConfig = {
  kernelName: "BatchMatMul",
  backendName: "wasm",
  kernelFunc: batchMatMul,
};
