import { tf } from "../../tf";
import type { WasmBackendLike } from "./wasm-runtime";

/**
 * `UnsortedSegmentSum` for the wasm backend, which has none: it is the gradient of `gather` (embeddings), so
 * training any model with an embedding table on wasm failed. out[s, ...] = Σ x[i, ...] over i with ids[i] = s;
 * ids outside [0, numSegments) are dropped, as on the cpu backend. One pass over x on the wasm heap.
 */
function unsortedSegmentSum({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { x, segmentIds } = inputs as {
    x: tf.TensorInfo;
    segmentIds: tf.TensorInfo;
  };
  const { numSegments } = attrs as unknown as { numSegments: number };
  const b = backend as WasmBackendLike;
  if (x.dtype !== "float32" && x.dtype !== "int32") {
    throw new Error(`UnsortedSegmentSum on wasm supports float32 and int32 x, got ${x.dtype}`);
  }
  const idsRank = segmentIds.shape.length;
  if (!tf.util.arraysEqual(x.shape.slice(0, idsRank), segmentIds.shape)) {
    throw new Error(`UnsortedSegmentSum: segmentIds shape [${segmentIds.shape}] must prefix x shape [${x.shape}]`);
  }
  const rows = tf.util.sizeFromShape(segmentIds.shape);
  const inner = tf.util.sizeFromShape(x.shape.slice(idsRank));
  const out = b.makeOutput([numSegments, ...x.shape.slice(idsRank)], x.dtype);
  // Views after makeOutput: allocating may have grown (and so replaced) the heap buffer.
  const dst = b.typedArrayFromHeap(out) as Float32Array | Int32Array;
  dst.fill(0);
  if (rows === 0 || inner === 0) return out;
  const src = b.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const ids = b.typedArrayFromHeap(segmentIds) as Int32Array;
  for (let i = 0; i < rows; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const from = i * inner;
    const to = s * inner;
    for (let j = 0; j < inner; j++) dst[to + j] += src[from + j];
  }
  return out;
}

/** Kernel config adding `UnsortedSegmentSum` to the wasm backend. */
export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: "UnsortedSegmentSum",
  backendName: "wasm",
  kernelFunc: unsortedSegmentSum,
};
