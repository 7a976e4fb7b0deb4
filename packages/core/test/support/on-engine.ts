import { expect } from "vitest";
import { initEngine, tf } from "@recurse/core";

/** Run `f` on the given engine and assert it leaves no tensor behind. */
export async function onEngine<T>(engine: "cpu" | "wasm", f: () => T): Promise<T> {
  await initEngine(engine);
  const before = tf.memory().numTensors;
  const result = f();
  expect(tf.memory().numTensors).toBe(before);
  return result;
}
