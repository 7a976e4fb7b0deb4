/**
 * Files that are huge on paper (1 GiB sparse files) with wrong headers are refused before their bodies are read:
 * a child process reads each with the built @recurse/core and reports how far its peak RSS grew.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { coreIsBuilt, startChild } from "./support/child";

const READER = fileURLToPath(new URL("./children/read-hostile.mjs", import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recurse-hostile-sizes-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!coreIsBuilt())("hostile sizes", () => {
  it("1 GiB files with wrong headers are refused with typed errors while the peak RSS grows by a few MiB", async () => {
    const child = startChild(READER, [join(dir, "files")]);
    const { code } = await child.exited;
    expect(code, child.stderr.join("")).toBe(0);
    const results = child.lines.map((l) => JSON.parse(l) as { label: string; outcome: string; grewMiB: number });
    expect(results.length).toBe(8);
    for (const r of results) {
      expect(r.outcome, r.label).toMatch(/^(DataFormatError|CheckpointError): /);
      // The last case reads a header just under the 100 MB bound (that is the bound), then refuses it.
      const limit = r.label.includes("99,999,999") ? 400 : 32;
      expect(r.grewMiB, `${r.label}: peak RSS grew ${r.grewMiB} MiB`).toBeLessThan(limit);
    }
    console.log(`hostile sizes (peak RSS growth):\n${results.map((r) => `  ${r.label}: +${r.grewMiB} MiB, ${r.outcome.split(":")[0]}`).join("\n")}`);
  });
});
