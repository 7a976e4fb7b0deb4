import { createRequire } from "node:module";
import { availableParallelism, cpus } from "node:os";
import { dirname, join } from "node:path";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

/**
 * Loading the threaded-SIMD build of the tfjs wasm backend under Node.
 *
 * The package ships `tfjs-backend-wasm-threaded-simd.{js,wasm}` and its pthread worker script, but its loader only
 * picks that build in a browser: under Node it reports no thread support, and its worker setup (Blob URLs) does not
 * work with `worker_threads`. It also sizes XNNPACK's pool at half the reported cores (hyper-threading), which on a
 * 2-core machine means one thread. This module does the loading itself:
 * - the Emscripten glue is `require`d from the package, the `.wasm` read from the package folder;
 * - each pthread worker is started from a small ES-module `data:` URL that gives the package's worker script the
 *   `require`/`__filename` it expects;
 * - the core count the module sees (`emscripten_num_logical_cores`) is replaced by twice the requested thread count,
 *   so that its halving lands on the count we want.
 * Nothing is downloaded or written to disk; all files come from the installed npm package.
 */

const require = createRequire(import.meta.url);

/** The pthread pool the Emscripten build creates up front; XNNPACK cannot use more threads than this. */
export const MAX_WASM_THREADS = 8;

/** Cores this process may use: `RECURSE_WASM_THREADS` when set, else the OS's available parallelism. */
export function requestedWasmThreads(env: NodeJS.ProcessEnv = process.env): number {
  const override = env.RECURSE_WASM_THREADS;
  if (override !== undefined && override !== "") {
    const n = Number(override);
    if (Number.isInteger(n) && n >= 1) return Math.min(n, MAX_WASM_THREADS);
  }
  const cores = typeof availableParallelism === "function" ? availableParallelism() : cpus().length;
  return Math.max(1, Math.min(cores, MAX_WASM_THREADS));
}

/** Whether this runtime can run shared-memory wasm threads at all. */
export function wasmThreadsSupported(): boolean {
  if (typeof SharedArrayBuffer !== "function") return false;
  try {
    const memory = new WebAssembly.Memory({
      initial: 1,
      maximum: 1,
      shared: true,
    });
    return memory.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

/** The parts of the Emscripten module this project touches. */
export interface EmscriptenWasmModule {
  cwrap(name: string, ret: string | null, args: string[]): (...args: unknown[]) => unknown;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  wasmMemory?: WebAssembly.Memory;
  asm?: { memory?: WebAssembly.Memory };
  PThread?: {
    unusedWorkers: { terminate(): void }[];
    runningWorkers: { unref(): void }[];
  };
  tfjs?: unknown;
  [key: string]: unknown;
}

type Factory = (config: Record<string, unknown>) => Promise<EmscriptenWasmModule>;

function workerBootstrapUrl(gluePath: string, workerScriptPath: string): URL {
  // The package's worker script is a CommonJS string export meant for a Blob; it needs `require` and `__filename`.
  // Newlines inside its string literals must stay escaped, as the package's own loader does.
  const source = [
    `import { createRequire } from "node:module";`,
    `import vm from "node:vm";`,
    `const require = createRequire(${JSON.stringify(pathToFileURL(gluePath).href)});`,
    `const { wasmWorkerContents } = require(${JSON.stringify(workerScriptPath)});`,
    `const body = wasmWorkerContents.replace(/\\n/g, "\\\\n");`,
    `vm.runInThisContext("(function (require, __filename) {" + body + "\\n})")(require, ${JSON.stringify(gluePath)});`,
  ].join("\n");
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}

/**
 * Instantiate the threaded-SIMD Emscripten module with `threads` XNNPACK threads (the calling thread included).
 * Returns the module with the `tfjs` helper object the backend constructor expects.
 */
/** Listeners of the two process events the Emscripten glue hooks. */
type ProcessHooks = Record<"uncaughtException" | "unhandledRejection", ((...args: unknown[]) => void)[]>;

function processHooks(): ProcessHooks {
  return {
    uncaughtException: process.listeners("uncaughtException") as ProcessHooks["uncaughtException"],
    unhandledRejection: process.listeners("unhandledRejection") as ProcessHooks["unhandledRejection"],
  };
}

/** Remove listeners added since `before` (the glue installs process-wide rethrowing handlers). */
function restoreProcessHooks(before: ProcessHooks): void {
  const now = processHooks();
  for (const event of ["uncaughtException", "unhandledRejection"] as const) {
    for (const listener of now[event]) {
      if (!before[event].includes(listener)) process.removeListener(event, listener);
    }
  }
}

/** How long the threaded module may take to start (its workers load the wasm) before tfjs's loader is used. */
const LOAD_TIMEOUT_MS = 60_000;

/**
 * Instantiate the threaded-SIMD Emscripten module with `threads` XNNPACK threads (the calling thread included).
 * Returns the module with the `tfjs` helper object the backend constructor expects. A worker that fails to start
 * (the glue throws its error from an event handler) or a start that hangs rejects instead of taking the process
 * down; the caller falls back to tfjs's own loader. `options` exist for tests (a worker that never starts).
 */
export async function loadThreadedWasmModule(
  threads: number,
  options: { timeoutMs?: number; workerUrl?: URL } = {},
): Promise<EmscriptenWasmModule> {
  const timeoutMs = options.timeoutMs ?? LOAD_TIMEOUT_MS;
  const gluePath = require.resolve("@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js");
  const dir = dirname(gluePath);
  const workerScriptPath = join(dir, "tfjs-backend-wasm-threaded-simd.worker.js");
  const wasmPath = join(dir, "tfjs-backend-wasm-threaded-simd.wasm");
  const factory = require(gluePath) as Factory;
  const bootUrl = options.workerUrl ?? workerBootstrapUrl(gluePath, workerScriptPath);

  const hooksBefore = processHooks();
  const globalWorker = Object.getOwnPropertyDescriptor(globalThis, "Worker");
  // With MODULARIZE the config object becomes the module: its PThread pool is reachable even if start fails.
  const config: Record<string, unknown> = {
    locateFile: (path: string) => (path.endsWith(".worker.js") ? bootUrl : join(dir, path)),
    mainScriptUrlOrBlob: gluePath,
    instantiateWasm(
      info: { env: Record<string, unknown> } & Record<string, unknown>,
      receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) {
      // The C++ side takes half of this as its core count (assuming hyper-threads) and caps the pool by it.
      const env = { ...info.env, emscripten_num_logical_cores: () => 2 * threads };
      WebAssembly.instantiate(new Uint8Array(readFileSync(wasmPath)), { ...info, env } as WebAssembly.Imports).then(
        ({ instance, module }) => receive(instance, module),
      );
      return {};
    },
  };
  let fail: (err: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  const onWorkerError = (err: unknown) => fail(err);
  // Not unref'd: if every worker died, this timer is what settles the start instead of the process just ending.
  const timer = setTimeout(() => fail(new Error(`no start within ${timeoutMs / 1000} s`)), timeoutMs);
  try {
    const starting = factory(config);
    // The glue's handlers rethrow whatever reaches them; ours turns a worker's start error into a rejection.
    restoreProcessHooks(hooksBefore);
    process.on("uncaughtException", onWorkerError);
    const module = await Promise.race([starting, failed]);
    module.tfjs = {
      init: module.cwrap("init", null, []),
      initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
      getThreadsCount: module.cwrap("get_threads_count", "number", []),
      registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
      disposeData: module.cwrap("dispose_data", null, ["number"]),
      dispose: module.cwrap("dispose", null, []),
    };
    return module;
  } catch (err) {
    const pool = (config as EmscriptenWasmModule).PThread;
    for (const worker of pool?.unusedWorkers ?? []) worker.terminate();
    throw err;
  } finally {
    clearTimeout(timer);
    process.removeListener("uncaughtException", onWorkerError);
    restoreProcessHooks(hooksBefore);
    if (globalWorker) Object.defineProperty(globalThis, "Worker", globalWorker);
    else delete (globalThis as { Worker?: unknown }).Worker;
  }
}

/**
 * After the backend created its thread pool: let the process exit while pool threads idle, and stop the spare
 * pre-spawned workers the pool does not use (each holds a V8 isolate).
 */
export function settleThreadPool(module: EmscriptenWasmModule): void {
  const pthreads = module.PThread;
  if (!pthreads) return;
  for (const worker of pthreads.runningWorkers) worker.unref();
  for (const worker of pthreads.unusedWorkers) worker.terminate();
  pthreads.unusedWorkers.length = 0;
}
