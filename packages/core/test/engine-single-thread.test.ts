import { describe, expect, it } from "vitest";
import { initEngine, tf } from "@recurse/core";

// A one-core machine (simulated with RECURSE_WASM_THREADS=1, read when the engine starts): tfjs's own loader, one
// thread, and the engine's kernels still compute batched and transposed products correctly.

describe("wasm engine on one thread", () => {
  it("reports one thread and computes a batched transposed product", async () => {
    const saved = process.env.RECURSE_WASM_THREADS;
    process.env.RECURSE_WASM_THREADS = "1";
    try {
      const info = await initEngine("wasm");
      expect(info.threads).toBe(1);
    } finally {
      if (saved === undefined) delete process.env.RECURSE_WASM_THREADS;
      else process.env.RECURSE_WASM_THREADS = saved;
    }
    const [B, M, K, N] = [6, 40, 33, 28];
    const a = Array.from({ length: B * K * M }, (_, i) => Math.sin(i * 0.1));
    const b = Array.from({ length: B * N * K }, (_, i) => Math.cos(i * 0.07));
    const before = tf.memory().numTensors;
    const got = tf.tidy(() => tf.matMul(tf.tensor3d(a, [B, K, M]), tf.tensor3d(b, [B, N, K]), true, true).dataSync());
    expect(tf.memory().numTensors).toBe(before);
    let worst = 0;
    for (let s = 0; s < B; s++) {
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < N; j++) {
          let want = 0;
          for (let k = 0; k < K; k++) want += a[s * K * M + k * M + i] * b[s * N * K + j * K + k];
          worst = Math.max(worst, Math.abs(got[s * M * N + i * N + j] - want));
        }
      }
    }
    expect(worst).toBeLessThan(1e-4);
  });
});
