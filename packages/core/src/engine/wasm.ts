import "@tensorflow/tfjs-backend-wasm";
import { BackendWasm, getThreadsCount, setThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { tf } from "../tf";
import { installGradientFixes } from "./gradients/index";
import { batchMatMulConfig } from "./kernels/batch-mat-mul";
import { DATA_MOVEMENT_KERNELS, dataMovementConfigs } from "./kernels/data-movement";
import { fusedMatMulConfig } from "./kernels/fused-mat-mul";
import { gatherConfig } from "./kernels/gather";
import { unsortedSegmentSumConfig } from "./kernels/unsorted-segment-sum";
import { loadThreadedWasmModule, requestedWasmThreads, settleThreadPool, wasmThreadsSupported } from "./wasm-threads";

/** How the wasm backend was (or will be) brought up. */
export interface WasmSetupInfo {
  /** Threads requested for this process (cores, or `RECURSE_WASM_THREADS`). */
  requestedThreads: number;
  /** `threaded-simd` when the engine's Node loader is installed, else `stock` (tfjs's own single-thread loader). */
  loader: "threaded-simd" | "stock";
  /** Why the threaded loader was not used or fell back, if it was not. */
  fallbackReason?: string;
  /** Replacement kernel groups installed (all unless `RECURSE_WASM_KERNELS` says otherwise). */
  kernels: WasmKernelGroup[];
}

let setupInfo: WasmSetupInfo | undefined;

const WASM_PRIORITY = 2;

/**
 * Register `config` in place of tfjs's kernel of that name. The stock kernel's setup still runs at backend start:
 * other stock kernels call its implementation directly (Sum, Max, Mean transpose through it).
 */
function replaceKernel(config: tf.KernelConfig): void {
  const stock = tf.getKernel(config.kernelName, config.backendName);
  if (stock) tf.unregisterKernel(config.kernelName, config.backendName);
  const own = config.setupFunc;
  tf.registerKernel({
    ...config,
    setupFunc: (backend) => {
      stock?.setupFunc?.(backend);
      own?.(backend);
    },
  });
}

/** Groups of replacement kernels; `RECURSE_WASM_KERNELS` (a comma list, or `none`) limits them for diagnosis. */
export const WASM_KERNEL_GROUPS = ["matmul", "copy"] as const;
export type WasmKernelGroup = (typeof WASM_KERNEL_GROUPS)[number];

/**
 * The replacement kernel groups to install: `matmul` (BatchMatMul, _FusedMatMul) and `copy` (Transpose, Slice,
 * SplitV, Unpack, Concat, GatherV2, Identity, Cast), all unless `RECURSE_WASM_KERNELS` names a subset or `none`.
 *
 * @example
 * ```ts
 * enabledKernelGroups({ RECURSE_WASM_KERNELS: "matmul" }); // ["matmul"]
 * ```
 */
export function enabledKernelGroups(env: NodeJS.ProcessEnv = process.env): WasmKernelGroup[] {
  const value = env.RECURSE_WASM_KERNELS;
  if (value === undefined || value.trim() === "") return [...WASM_KERNEL_GROUPS];
  const asked = value.split(",").map((x) => x.trim());
  return WASM_KERNEL_GROUPS.filter((g) => asked.includes(g));
}

function installKernels(groups: WasmKernelGroup[]): void {
  const stockFused = tf.getKernel("_FusedMatMul", "wasm");
  const stock = new Map(DATA_MOVEMENT_KERNELS.map((name) => [name, tf.getKernel(name, "wasm")] as const));
  // Missing on wasm altogether, so always installed.
  replaceKernel(unsortedSegmentSumConfig);
  if (groups.includes("matmul")) {
    replaceKernel(batchMatMulConfig);
    replaceKernel(fusedMatMulConfig(stockFused));
  }
  if (groups.includes("copy")) {
    const stockGather = tf.getKernel("GatherV2", "wasm");
    for (const config of dataMovementConfigs(stock)) replaceKernel(config);
    replaceKernel(gatherConfig(stockGather));
  }
}

function installThreadedLoader(info: WasmSetupInfo): void {
  const engine = tf.engine() as unknown as {
    registry: Record<string, unknown>;
    registryFactory: Record<string, { factory: () => unknown } | undefined>;
  };
  if (engine.registry.wasm) {
    info.fallbackReason = "the wasm backend was initialised before initEngine";
    info.loader = "stock";
    return;
  }
  const stock = engine.registryFactory.wasm?.factory;
  if (!stock) throw new Error("the tfjs wasm backend did not register itself");
  const threads = info.requestedThreads;
  tf.removeBackend("wasm");
  tf.registerBackend(
    "wasm",
    async () => {
      try {
        const module = await loadThreadedWasmModule(threads);
        setThreadsCount(threads);
        const backend = new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
        settleThreadPool(module);
        return backend;
      } catch (err) {
        info.loader = "stock";
        info.fallbackReason = `threaded wasm failed to load: ${err instanceof Error ? err.message : String(err)}`;
        return (await stock()) as tf.KernelBackend;
      }
    },
    WASM_PRIORITY,
  );
}

/**
 * Prepare the wasm backend before it is selected (called by `initEngine`); idempotent.
 * - Kernels: `BatchMatMul`/`_FusedMatMul` on the engine's SIMD kernel (transposes, batches, all threads); strided
 *   SIMD copies for Transpose/Slice/SplitV/Unpack/Concat/GatherV2; zero-copy Identity and same-dtype Cast;
 *   `UnsortedSegmentSum` (gather's gradient, missing on wasm). Gradient fixes (comparisons, broadcast matmul) are
 *   shared by all engines.
 * - Threads: under Node, on more than one core, the threaded-SIMD build with one thread per core (tfjs alone runs
 *   one thread under Node). `RECURSE_WASM_THREADS=n` overrides the count; 1 keeps tfjs's stock loader.
 * - Diagnosis: `RECURSE_WASM_KERNELS=matmul`, `=copy` or `=none` keeps tfjs's own kernels for the other groups
 *   (`UnsortedSegmentSum`, which tfjs lacks, is always installed).
 *
 * @example
 * ```ts
 * await setupWasm(); // initEngine("wasm") does this before selecting the backend
 * ```
 */
export async function setupWasm(): Promise<void> {
  installGradientFixes();
  if (setupInfo) return;
  const kernels = enabledKernelGroups();
  installKernels(kernels);
  const requestedThreads = requestedWasmThreads();
  const info: WasmSetupInfo = { requestedThreads, loader: "stock", kernels };
  if (requestedThreads > 1 && wasmThreadsSupported()) {
    info.loader = "threaded-simd";
    installThreadedLoader(info);
  } else if (requestedThreads > 1) {
    info.fallbackReason = "this runtime lacks shared-memory WebAssembly threads";
  }
  setupInfo = info;
}

/** What `setupWasm` decided, once it ran. */
export function wasmSetupInfo(): WasmSetupInfo | undefined {
  return setupInfo;
}

/** Threads the initialised wasm backend computes with (XNNPACK's pool, the calling thread included). */
export function wasmThreads(): number {
  return Math.max(1, getThreadsCount());
}
