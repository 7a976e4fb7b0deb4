import { tf } from "../../tf";
import type { EmscriptenWasmModule } from "../wasm-threads";
import { GemmPool } from "./gemm-pool";

/** The members of tfjs's `BackendWasm` the engine's kernels use. */
export interface WasmBackendLike {
  wasm: EmscriptenWasmModule;
  dataIdMap: {
    get(dataId: object):
      | {
          id: number;
          memoryOffset: number;
          shape: number[];
          dtype: tf.DataType;
        }
      | undefined;
  };
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): tf.TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Per-backend-instance state of the engine's wasm kernels, created on first use. */
export interface WasmRuntime {
  backend: WasmBackendLike;
  module: EmscriptenWasmModule;
  /** The wasm heap (shared when the threaded build runs). */
  memory: WebAssembly.Memory;
  /** Threads of XNNPACK's pool (the caller included); the batched kernel uses as many. */
  threads: number;
  pool: GemmPool;
}

const runtimes = new WeakMap<object, WasmRuntime>();

/** The runtime for a wasm backend instance (kernels receive the backend; a re-created backend gets a new one). */
export function wasmRuntime(backend: object): WasmRuntime {
  let rt = runtimes.get(backend);
  if (rt) return rt;
  const b = backend as WasmBackendLike;
  const module = b.wasm;
  const memory = module.wasmMemory ?? module.asm?.memory;
  if (!memory) throw new Error("the tfjs wasm module exposes no memory");
  const tfjsHelpers = module.tfjs as { getThreadsCount?: () => number } | undefined;
  const threads = Math.max(1, tfjsHelpers?.getThreadsCount?.() ?? 1);
  const pool = new GemmPool(memory, { malloc: (n) => module._malloc(n), free: (p) => module._free(p) }, threads);
  rt = {
    backend: b,
    module,
    memory,
    threads,
    pool,
  };
  runtimes.set(backend, rt);
  return rt;
}
