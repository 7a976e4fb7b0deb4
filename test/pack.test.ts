/**
 * Every package, as `npm pack` ships it, installs into a fresh empty npm project (its dependencies from the npm
 * registry, its siblings from their tarballs) and imports cleanly. Needs the built dist/ of each package.
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const workspaces = ["packages/core", "packages/trm", "packages/hrm", "packages/datasets-sudoku", "packages/datasets-arc", "packages/eval", "apps/cli"];

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 240_000 });
}

describe("npm pack", () => {
  it("each package packs, installs into an empty project and imports", () => {
    const work = mkdtempSync(join(tmpdir(), "recurse-pack-"));
    try {
      const tarballs: string[] = [];
      const names: string[] = [];
      for (const ws of workspaces) {
        const pkg = JSON.parse(readFileSync(join(root, ws, "package.json"), "utf8"));
        names.push(pkg.name);
        const out = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], join(root, ws)));
        const files: string[] = out[0].files.map((f: { path: string }) => f.path);
        // The whitelist keeps sources and tests out of the tarball, and the entry points in.
        expect(files).toContain("dist/index.js");
        expect(files).toContain("dist/index.d.ts");
        expect(files.some((f) => f.startsWith("src/") || f.startsWith("test/"))).toBe(false);
        tarballs.push(join(work, out[0].filename));
      }
      const app = join(work, "app");
      run("mkdir", ["-p", app], work);
      writeFileSync(join(app, "package.json"), JSON.stringify({ name: "pack-check", private: true, type: "module" }));
      run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...tarballs], app);
      expect(readdirSync(join(app, "node_modules", "@recurse")).sort()).toEqual(names.map((n) => n.split("/")[1]).sort());
      const script = `
        for (const name of ${JSON.stringify(names)}) {
          const mod = await import(name);
          if (Object.keys(mod).length === 0 && name !== "@recurse/cli") throw new Error(name + " exports nothing");
        }
        const { initEngine } = await import("@recurse/core");
        const info = await initEngine("auto");
        console.log("engine=" + info.engine);`;
      const printed = run("node", ["--input-type=module", "-e", script], app);
      expect(printed).toMatch(/engine=(wasm|cpu|tfjs-node|tfjs-node-gpu)/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 300_000);
});
