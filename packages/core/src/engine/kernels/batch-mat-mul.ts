import { tf } from "../../tf";
import { wasmRuntime, type WasmBackendLike, type WasmRuntime } from "./wasm-runtime";

/**
 * `BatchMatMul` for the wasm backend. tfjs's own kernel is fast only for one un-transposed 2-D product (it hands
 * that to XNNPACK); transposes and batches fall back to a scalar triple loop (~2 GFLOP/s). Here:
 * - one product (or a batch of A against one shared B, folded into one tall product) goes to XNNPACK, after an
 *   explicit transpose of any transposed operand (a memory pass, cheap next to the product);
 * - real batches (attention) go to the engine's SIMD kernel, which reads transposed operands through strides and
 *   spreads slices over all threads.
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

/** Transposes the last two axes of `x` seen as [batch, rows, cols], through tfjs's wasm Transpose kernel. */
function transposeLast2(backend: WasmBackendLike, x: tf.TensorInfo, batch: number, rows: number, cols: number) {
  const transpose = tf.getKernel("Transpose", "wasm");
  const view: tf.TensorInfo = {
    dataId: x.dataId,
    shape: [batch, rows, cols],
    dtype: x.dtype,
  };
  return transpose.kernelFunc({
    inputs: { x: view },
    backend: backend as unknown as tf.KernelBackend,
    attrs: { perm: [0, 2, 1] },
  }) as tf.TensorInfo;
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

const XNN_MIN_MACS = 1 << 15;

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

    const rows = batchB === 1 ? batchA * M : M; // one B for every slice: A folds into one tall product
    const useXnn = (batch === 1 || batchB === 1) && rows * K * N >= XNN_MIN_MACS;
    if (useXnn) {
      if (transposeA) {
        a = transposeLast2(backend, a, batchA, K, M);
        temps.push(a);
      }
      if (transposeB) {
        b = transposeLast2(backend, b, 1, N, K);
        temps.push(b);
      }
      const id = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.id;
      rt.xnnMatMul(id(a), id(b), id(out), rows, K, N);
      return out;
    }

    const addr = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
    rt.pool.run({
      a: addr(a),
      b: addr(b),
      c: addr(out),
      batch,
      M,
      N,
      K,
      aBatchStride: batchA === 1 ? 0 : M * K * 4,
      bBatchStride: batchB === 1 ? 0 : K * N * 4,
      cBatchStride: M * N * 4,
      // A is [M, K] or, transposed, [K, M]; B is [K, N] or, transposed, [N, K].
      sAm: transposeA ? 4 : K * 4,
      sAk: transposeA ? M * 4 : 4,
      sBk: transposeB ? 4 : N * 4,
      sBn: transposeB ? K * 4 : 4,
    });
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
