import { tf } from "../tf";
import { EngineError } from "../errors";
import { installGradientFixes } from "./gradients/index";

/** Engines in order of preference for `auto`. */
export type EngineName = "tfjs-node-gpu" | "tfjs-node" | "wasm" | "cpu";
export type EngineRequest = EngineName | "auto";

/** What `initEngine` selected. */
export interface EngineInfo {
  /** The engine that was loaded. */
  engine: EngineName;
  /** The tfjs backend name (`tensorflow`, `wasm`, `cpu`). */
  backend: string;
  /** Engines tried before this one and why they failed (only for `auto`). */
  skipped: { engine: EngineName; reason: string }[];
  /** Worker threads the engine computes with (1 where unknown). */
  threads: number;
}

const AUTO_ORDER: EngineName[] = ["tfjs-node-gpu", "tfjs-node", "wasm", "cpu"];

const INSTALL_HINT: Record<EngineName, string> = {
  "tfjs-node-gpu":
    "npm install @tensorflow/tfjs-node-gpu@4.22.0 (needs CUDA and network access to download libtensorflow at install time)",
  "tfjs-node": "npm install @tensorflow/tfjs-node@4.22.0 (downloads libtensorflow at install time)",
  wasm: "npm install @tensorflow/tfjs-backend-wasm@4.22.0",
  cpu: "npm install @tensorflow/tfjs-backend-cpu@4.22.0",
};

let current: EngineInfo | undefined;

/** Dynamic import by a computed name, so bundlers and type checkers leave optional packages alone. */
async function importOptional(name: string): Promise<unknown> {
  return import(/* @vite-ignore */ name);
}

async function activate(engine: EngineName): Promise<string> {
  switch (engine) {
    case "tfjs-node-gpu":
    case "tfjs-node": {
      await importOptional(`@tensorflow/${engine}`);
      if (!(await tf.setBackend("tensorflow"))) throw new Error("backend 'tensorflow' did not initialise");
      return "tensorflow";
    }
    case "wasm": {
      const { setupWasm } = await import("./wasm");
      await setupWasm();
      if (!(await tf.setBackend("wasm"))) throw new Error("backend 'wasm' did not initialise");
      return "wasm";
    }
    case "cpu": {
      if (!(await tf.setBackend("cpu"))) throw new Error("backend 'cpu' did not initialise");
      return "cpu";
    }
  }
}

/**
 * Select and initialise the tensor engine. `auto` takes the fastest one that loads: the optional native
 * packages first (`@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node`), then the wasm backend, then the
 * pure-JS cpu backend. Asking for a specific engine that cannot load throws an {@link EngineError} whose message
 * is one line saying how to install it.
 *
 * @example
 * ```ts
 * import { initEngine } from "@recurse/core";
 * const info = await initEngine("auto");
 * console.log(`running on ${info.engine} (${info.threads} threads)`);
 * ```
 */
export async function initEngine(request: EngineRequest = "auto"): Promise<EngineInfo> {
  const candidates = request === "auto" ? AUTO_ORDER : [request];
  if (request !== "auto" && !AUTO_ORDER.includes(request)) {
    throw new EngineError(`unknown engine '${String(request)}'; expected one of auto, ${AUTO_ORDER.join(", ")}`);
  }
  const skipped: EngineInfo["skipped"] = [];
  for (const engine of candidates) {
    try {
      const backend = await activate(engine);
      await tf.ready();
      installGradientFixes();
      current = { engine, backend, skipped, threads: await engineThreads(backend) };
      return current;
    } catch (err) {
      const reason = err instanceof Error ? err.message.split("\n")[0] : String(err);
      if (request !== "auto") {
        throw new EngineError(`engine '${engine}' is not available (${reason}); install it with: ${INSTALL_HINT[engine]}`, {
          cause: err,
        });
      }
      skipped.push({ engine, reason });
    }
  }
  throw new EngineError(`no tensor engine could be loaded: ${skipped.map((s) => `${s.engine}: ${s.reason}`).join("; ")}`);
}

/** The engine selected by the last successful {@link initEngine}, if any. */
export function currentEngine(): EngineInfo | undefined {
  return current;
}

async function engineThreads(backend: string): Promise<number> {
  if (backend === "wasm") {
    const { wasmThreads } = await import("./wasm");
    return wasmThreads();
  }
  return 1;
}
