import { describe, expect, it } from "vitest";
import { EngineError, initEngine, tf } from "@recurse/core";
import { requestedWasmThreads, wasmThreadsSupported } from "../src/engine/wasm-threads";
import { enabledKernelGroups } from "../src/engine/wasm";

describe("initEngine", () => {
  it("auto falls back past the missing native packages to a working engine", async () => {
    const info = await initEngine("auto");
    expect(["wasm", "cpu", "tfjs-node", "tfjs-node-gpu"]).toContain(info.engine);
    expect(tf.getBackend()).toBe(info.backend);
    const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).arraySync());
    expect(sum).toEqual([4, 6]);
  });

  it("asking for a missing native engine fails with one line that says how to install it", async () => {
    let missing: "tfjs-node-gpu" | undefined = "tfjs-node-gpu";
    try {
      const name = "@tensorflow/tfjs-node-gpu"; // a variable: the package is optional and has no types here
      await import(/* @vite-ignore */ name);
      missing = undefined; // present on this machine: nothing to assert
    } catch {
      // expected on machines without libtensorflow
    }
    if (!missing) return;
    const err = await initEngine(missing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    const message = (err as Error).message;
    expect(message).not.toContain("\n");
    expect(message).toMatch(/npm install @tensorflow\/tfjs-node-gpu/);
  });

  it("wasm and cpu compute the same matmul", async () => {
    const a = Array.from({ length: 12 }, (_, i) => i / 7);
    const b = Array.from({ length: 12 }, (_, i) => 1 - i / 5);
    await initEngine("cpu");
    const cpu = tf.tidy(() =>
      tf
        .matMul(tf.tensor2d(a, [3, 4]), tf.tensor2d(b, [4, 3]))
        .dataSync()
        .slice(),
    );
    await initEngine("wasm");
    const wasm = tf.tidy(() =>
      tf
        .matMul(tf.tensor2d(a, [3, 4]), tf.tensor2d(b, [4, 3]))
        .dataSync()
        .slice(),
    );
    for (let i = 0; i < cpu.length; i++) expect(wasm[i]).toBeCloseTo(cpu[i], 5);
  });

  it("wasm reports the threads it computes with: one per core under Node (capped at 8)", async () => {
    const info = await initEngine("wasm");
    expect(info.threads).toBe(wasmThreadsSupported() ? requestedWasmThreads() : 1);
    expect(info.threads).toBeGreaterThanOrEqual(1);
  });

  it("RECURSE_WASM_THREADS overrides the core count, within 1..8", () => {
    expect(requestedWasmThreads({ RECURSE_WASM_THREADS: "1" })).toBe(1);
    expect(requestedWasmThreads({ RECURSE_WASM_THREADS: "3" })).toBe(3);
    expect(requestedWasmThreads({ RECURSE_WASM_THREADS: "64" })).toBe(8);
    const fromCores = requestedWasmThreads({});
    expect(requestedWasmThreads({ RECURSE_WASM_THREADS: "zero" })).toBe(fromCores);
    expect(fromCores).toBeGreaterThanOrEqual(1);
  });

  it("RECURSE_WASM_KERNELS limits the replacement kernel groups (diagnosis)", () => {
    expect(enabledKernelGroups({})).toEqual(["matmul", "copy"]);
    expect(enabledKernelGroups({ RECURSE_WASM_KERNELS: "none" })).toEqual([]);
    expect(enabledKernelGroups({ RECURSE_WASM_KERNELS: "copy" })).toEqual(["copy"]);
    expect(enabledKernelGroups({ RECURSE_WASM_KERNELS: " matmul , copy" })).toEqual(["matmul", "copy"]);
  });
});
