import { beforeAll, describe, expect, it } from "vitest";
import { Ema, initEngine, tf } from "@recurse/core";

describe("Ema", () => {
  beforeAll(async () => {
    await initEngine("cpu");
  });

  it("shadow = (1 − μ)·param + μ·shadow after every update, starting from the weights", () => {
    const before = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.tensor1d([1, -2])));
    const params = new Map([["w", w]]);
    const ema = new Ema(params, 0.9);
    let shadow = [1, -2];
    for (const next of [[3, 0], [-1, 4], [0.5, 0.5]]) {
      tf.tidy(() => w.assign(tf.tensor1d(next)));
      ema.update(params);
      shadow = shadow.map((s, i) => 0.1 * next[i] + 0.9 * s);
    }
    const got = ema.shadow.get("w")!.dataSync();
    expect(got[0]).toBeCloseTo(shadow[0], 6);
    expect(got[1]).toBeCloseTo(shadow[1], 6);
    ema.dispose();
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("withShadow evaluates on the averaged weights and restores the trained ones, also on error", async () => {
    const w = tf.tidy(() => tf.variable(tf.tensor1d([1, 1])));
    const params = new Map([["w", w]]);
    const ema = new Ema(params, 0.5);
    tf.tidy(() => w.assign(tf.tensor1d([3, 5])));
    ema.update(params); // shadow [2, 3]
    const seen = await ema.withShadow(params, () => Array.from(w.dataSync()));
    expect(seen).toEqual([2, 3]);
    expect(Array.from(w.dataSync())).toEqual([3, 5]);
    await expect(ema.withShadow(params, () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(Array.from(w.dataSync())).toEqual([3, 5]);
    ema.dispose();
    w.dispose();
  });

  it("exports and imports its state", () => {
    const w = tf.tidy(() => tf.variable(tf.tensor1d([1, 2, 3])));
    const params = new Map([["w", w]]);
    const a = new Ema(params, 0.99);
    tf.tidy(() => w.assign(tf.tensor1d([4, 5, 6])));
    a.update(params);
    const state = a.exportState();
    const b = new Ema(params, 0.99);
    b.importState(state);
    tf.dispose([...state.tensors.values()]);
    expect(Array.from(b.shadow.get("w")!.dataSync())).toEqual(Array.from(a.shadow.get("w")!.dataSync()));
    a.dispose();
    b.dispose();
    w.dispose();
  });
});
