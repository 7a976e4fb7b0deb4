import { describe, expect, it } from "vitest";
import { loadThreadedWasmModule, wasmThreadsSupported } from "../src/engine/wasm-threads";

// The Node loader of tfjs's threaded-SIMD wasm build: it starts from the installed package alone, and a worker
// that never starts makes it reject (so initEngine falls back to tfjs's loader) without leaving hooks behind.

const hooks = () => ({
  uncaught: process.listeners("uncaughtException").length,
  rejection: process.listeners("unhandledRejection").length,
  worker: typeof (globalThis as { Worker?: unknown }).Worker,
});

describe.skipIf(!wasmThreadsSupported())("threaded wasm loader", () => {
  it("instantiates the threaded build with its pthread workers, then leaves the process as it was", async () => {
    const before = hooks();
    const module = await loadThreadedWasmModule(2);
    expect(hooks()).toEqual(before);
    expect(module.wasmMemory?.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(typeof (module.tfjs as { initWithThreadsCount?: unknown }).initWithThreadsCount).toBe("function");
    const workers = module.PThread?.unusedWorkers ?? [];
    expect(workers.length).toBeGreaterThan(0);
    for (const w of workers) w.terminate();
  });

  it("rejects when its workers never start, and restores the process hooks", async () => {
    const before = hooks();
    const stuck = new URL(`data:text/javascript,${encodeURIComponent("setInterval(() => {}, 1000)")}`);
    await expect(loadThreadedWasmModule(2, { timeoutMs: 1500, workerUrl: stuck })).rejects.toThrow(/no start within/);
    expect(hooks()).toEqual(before);
  });
});
