import { tf } from "../../tf";
import type { KernelExports } from "./kernel-module";
import { wasmRuntime, type WasmBackendLike } from "./wasm-runtime";

/**
 * Transpose, Slice, SplitV, Unpack and Concat for the wasm backend, as strided copies on the heap.
 *
 * tfjs's wasm Slice (and SplitV/Unpack, built on it) first copies the whole input out of the heap (`readSync`),
 * then slices it in JS; its Transpose of rank 4-5 (attention heads) ran at ~10 M elements/s. Here every one of them
 * is a single pass: dimensions are merged where memory allows, a transpose that keeps the innermost axis is a
 * vector copy, and one that moves it is a batched 4x4-block transpose.
 * Only 4-byte dtypes (float32, int32) take this path; bool and string tensors keep tfjs's kernels.
 *
 * Identity (and Cast to the same dtype) share the input's memory by reference count, as the cpu backend does,
 * instead of copying it: tfjs clones every tensor it saves for backprop through Identity, so on wasm each training
 * step copied most of its activations once more.
 */

type Stock = Map<string, tf.KernelConfig>;

function stockCall(stock: Stock, name: string, args: Parameters<tf.KernelFunc>[0], setUp: WeakSet<object>) {
  const config = stock.get(name);
  if (!config) throw new Error(`no stock wasm kernel ${name}`);
  const key = args.backend as object;
  if (!setUp.has(key)) {
    config.setupFunc?.(args.backend as tf.KernelBackend);
    setUp.add(key);
  }
  return config.kernelFunc(args);
}

const FOUR_BYTES = new Set(["float32", "int32"]);

function contiguousStrides(shape: number[]): number[] {
  const s = new Array(shape.length);
  let acc = 4;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/**
 * Copy the box `extents` from `src` (byte strides `ss`) to `dst` (byte strides `ds`): extent-1 axes dropped, axes
 * merged where both sides are contiguous across them, then 4-D kernel calls (a loop over any leading axes).
 */
export function stridedCopy(
  ex: KernelExports,
  src: number,
  dst: number,
  extents: number[],
  ss: number[],
  ds: number[],
): void {
  const n: number[] = [];
  const s: number[] = [];
  const d: number[] = [];
  for (let i = 0; i < extents.length; i++) {
    if (extents[i] === 0) return;
    if (extents[i] === 1) continue;
    const last = n.length - 1;
    if (last >= 0 && s[last] === extents[i] * ss[i] && d[last] === extents[i] * ds[i]) {
      n[last] *= extents[i];
      s[last] = ss[i];
      d[last] = ds[i];
    } else {
      n.push(extents[i]);
      s.push(ss[i]);
      d.push(ds[i]);
    }
  }
  if (n.length === 0) {
    ex.copy4(src, dst, 1, 1, 1, 1, 0, 0, 0, 4, 0, 0, 0, 4);
    return;
  }
  // A transpose that moves the innermost axis: batched 2-D block transpose when the layout is one.
  const r = n.length;
  if (r >= 2 && r <= 3 && s[r - 1] !== 4 && d[r - 1] === 4 && s[r - 2] === 4 && d[r - 2] === n[r - 1] * 4) {
    if (s[r - 1] === n[r - 2] * 4) {
      const batch = r === 3 ? n[0] : 1;
      const sb = r === 3 ? s[0] : 0;
      const db = r === 3 ? d[0] : 0;
      ex.transpose2(src, dst, batch, n[r - 1], n[r - 2], sb, db);
      return;
    }
  }
  while (n.length < 4) {
    n.unshift(1);
    s.unshift(0);
    d.unshift(0);
  }
  const outer = n.length - 4;
  const lead = n.slice(0, outer);
  const idx = new Array(outer).fill(0);
  for (;;) {
    let so = src;
    let dOff = dst;
    for (let i = 0; i < outer; i++) {
      so += idx[i] * s[i];
      dOff += idx[i] * d[i];
    }
    ex.copy4(
      so,
      dOff,
      n[outer],
      n[outer + 1],
      n[outer + 2],
      n[outer + 3],
      s[outer],
      s[outer + 1],
      s[outer + 2],
      s[outer + 3],
      d[outer],
      d[outer + 1],
      d[outer + 2],
      d[outer + 3],
    );
    let k = outer - 1;
    while (k >= 0 && ++idx[k] === lead[k]) idx[k--] = 0;
    if (k < 0) return;
  }
}

function addr(b: WasmBackendLike, t: tf.TensorInfo): number {
  return b.dataIdMap.get(t.dataId)!.memoryOffset;
}

/** Slice `x` into a new output without reading it out of the heap. */
function sliceInto(b: WasmBackendLike, ex: KernelExports, x: tf.TensorInfo, begin: number[], size: number[]) {
  const out = b.makeOutput(size, x.dtype);
  if (tf.util.sizeFromShape(size) === 0) return out;
  const xs = contiguousStrides(x.shape);
  let src = addr(b, x);
  for (let i = 0; i < begin.length; i++) src += begin[i] * xs[i];
  stridedCopy(ex, src, addr(b, out), size, xs, contiguousStrides(size));
  return out;
}

/** The replacement kernel configs; `stock` maps kernel names to the tfjs configs they replace. */
export function dataMovementConfigs(stock: Stock): tf.KernelConfig[] {
  const setUp = new WeakSet<object>();
  const kernels = () => {
    const k = (name: string, fn: tf.KernelFunc): tf.KernelConfig => ({
      kernelName: name,
      backendName: "wasm",
      kernelFunc: fn,
    });
    const share = (args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo => {
      const x = args.inputs.x as tf.TensorInfo;
      (args.backend as tf.KernelBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    };
    return [
      k("Identity", (args) => {
        const x = args.inputs.x as tf.TensorInfo;
        return x.dtype === "string" ? stockCall(stock, "Identity", args, setUp) : share(args);
      }),
      k("Cast", (args) => {
        const x = args.inputs.x as tf.TensorInfo;
        const { dtype } = args.attrs as unknown as { dtype: tf.DataType };
        return x.dtype === dtype && x.dtype !== "string" ? share(args) : stockCall(stock, "Cast", args, setUp);
      }),
      k("Transpose", (args) => {
        const x = args.inputs.x as tf.TensorInfo;
        if (!FOUR_BYTES.has(x.dtype)) return stockCall(stock, "Transpose", args, setUp);
        const perm = (args.attrs as unknown as { perm: number[] }).perm;
        const b = args.backend as WasmBackendLike;
        const outShape = perm.map((p) => x.shape[p]);
        const out = b.makeOutput(outShape, x.dtype);
        const xs = contiguousStrides(x.shape);
        stridedCopy(
          wasmRuntime(b).pool.exports,
          addr(b, x),
          addr(b, out),
          outShape,
          perm.map((p) => xs[p]),
          contiguousStrides(outShape),
        );
        return out;
      }),
      k("Slice", (args) => {
        const x = args.inputs.x as tf.TensorInfo;
        if (!FOUR_BYTES.has(x.dtype)) return stockCall(stock, "Slice", args, setUp);
        const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
        const [begin_, size_] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
        const b = args.backend as WasmBackendLike;
        return sliceInto(b, wasmRuntime(b).pool.exports, x, begin_, size_);
      }),
      k("SplitV", (args) => {
        const x = args.inputs.x as tf.TensorInfo;
        if (!FOUR_BYTES.has(x.dtype)) return stockCall(stock, "SplitV", args, setUp);
        const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
        const ax = tf.util.parseAxisParam(axis, x.shape)[0];
        const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, ax);
        const b = args.backend as WasmBackendLike;
        const ex = wasmRuntime(b).pool.exports;
        const begin = new Array(x.shape.length).fill(0);
        return sizes.map((piece) => {
          const size = x.shape.slice();
          size[ax] = piece;
          const out = sliceInto(b, ex, x, begin, size);
          begin[ax] += piece;
          return out;
        });
      }),
      k("Unpack", (args) => {
        const x = args.inputs.value as tf.TensorInfo;
        if (!FOUR_BYTES.has(x.dtype)) return stockCall(stock, "Unpack", args, setUp);
        let { axis } = args.attrs as unknown as { axis: number };
        if (axis < 0) axis += x.shape.length;
        const b = args.backend as WasmBackendLike;
        const ex = wasmRuntime(b).pool.exports;
        const outShape = x.shape.filter((_, i) => i !== axis);
        const size = x.shape.slice();
        size[axis] = 1;
        const begin = new Array(x.shape.length).fill(0);
        return Array.from({ length: x.shape[axis] }, (_, i) => {
          begin[axis] = i;
          const out = sliceInto(b, ex, x, begin, size);
          return { dataId: out.dataId, dtype: out.dtype, shape: outShape };
        });
      }),
      k("Concat", (args) => {
        const inputs = args.inputs as unknown as tf.TensorInfo[];
        if (!inputs.every((t) => FOUR_BYTES.has(t.dtype) && t.dtype === inputs[0].dtype)) {
          return stockCall(stock, "Concat", args, setUp);
        }
        const ax = tf.util.parseAxisParam((args.attrs as unknown as { axis: number }).axis, inputs[0].shape)[0];
        const shapes = inputs.map((t) => t.shape);
        tf.backend_util.assertParamsConsistent(shapes, ax);
        const outShape = tf.backend_util.computeOutShape(shapes, ax);
        const b = args.backend as WasmBackendLike;
        const out = b.makeOutput(outShape, inputs[0].dtype);
        if (tf.util.sizeFromShape(outShape) === 0) return out;
        const ex = wasmRuntime(b).pool.exports;
        const os = contiguousStrides(outShape);
        let dst = addr(b, out);
        for (const t of inputs) {
          if (tf.util.sizeFromShape(t.shape) > 0) {
            stridedCopy(ex, addr(b, t), dst, t.shape, contiguousStrides(t.shape), os);
          }
          dst += t.shape[ax] * os[ax];
        }
        return out;
      }),
    ];
  };
  return kernels();
}

/** Names of the kernels {@link dataMovementConfigs} replaces. */
export const DATA_MOVEMENT_KERNELS = ["Identity", "Cast", "Transpose", "Slice", "SplitV", "Unpack", "Concat"];
