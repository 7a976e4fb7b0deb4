/** Shared per-file setup of the conformance tests: the cpu engine (pure tfjs, so these tests do not depend on the wasm kernels) and a scratch directory removed afterwards. */
import { afterAll, beforeAll } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initEngine } from "@recurse/core";

/** Registers the hooks; the returned function gives the scratch directory (valid inside tests). */
export function useEngineAndScratch(prefix: string): () => string {
  let scratch = "";
  beforeAll(async () => {
    await initEngine("cpu");
    scratch = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });
  return () => scratch;
}
