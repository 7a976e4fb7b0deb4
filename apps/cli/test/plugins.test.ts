import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPlugins } from "../src/plugins/load-plugins";
import { readConfigFile } from "../src/plugins/config-file";

// A syntactically complete plugin with one architecture; the CLI only checks its shape here.
const PLUGIN_SOURCE = (name: string, exportStyle: "default" | "named") => `
const arch = { id: "${name}-arch", description: "x", schema: { safeParse() {} }, presets: {}, defaultPreset: "p", create() {} };
const p = { name: "${name}", architectures: [arch] };
${exportStyle === "default" ? "export default p;" : "export const plugin = p;"}
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "recurse-plugins-"));
  writeFileSync(join(dir, "good.mjs"), PLUGIN_SOURCE("good", "default"));
  writeFileSync(join(dir, "named.mjs"), PLUGIN_SOURCE("named", "named"));
  writeFileSync(join(dir, "nothing.mjs"), "export const somethingElse = 1;\n");
  writeFileSync(join(dir, "bad-create.mjs"), `export default { name: "bad", architectures: [{ id: "a", schema: {}, presets: {}, create: 3 }] };\n`);
  writeFileSync(join(dir, "throws.mjs"), `throw new Error("boom at import");\n`);
  // A package directory with an ESM-only "exports" map.
  mkdirSync(join(dir, "pkg"));
  writeFileSync(join(dir, "pkg", "package.json"), JSON.stringify({ name: "pkg", type: "module", exports: { ".": { import: "./entry.mjs" } } }));
  writeFileSync(join(dir, "pkg", "entry.mjs"), PLUGIN_SOURCE("from-pkg", "default"));
  // An installed package found by name through node_modules.
  mkdirSync(join(dir, "node_modules", "recurse-plugin-demo"), { recursive: true });
  writeFileSync(join(dir, "node_modules", "recurse-plugin-demo", "package.json"), JSON.stringify({ name: "recurse-plugin-demo", type: "module", main: "index.js" }));
  writeFileSync(join(dir, "node_modules", "recurse-plugin-demo", "index.js"), PLUGIN_SOURCE("demo", "named"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("--plugin loading", () => {
  it("loads default and named exports, package directories and installed package names, in flag order", async () => {
    const r = await loadPlugins({ cwd: dir, builtins: false, flags: ["./good.mjs", "./named.mjs", "./pkg", "recurse-plugin-demo"] });
    expect(r.plugins.map((p) => [p.plugin.name, p.origin, p.from])).toEqual([
      ["good", "flag", "./good.mjs"],
      ["named", "flag", "./named.mjs"],
      ["from-pkg", "flag", "./pkg"],
      ["demo", "flag", "recurse-plugin-demo"],
    ]);
  });

  it("names the missing export, the wrong field, the missing file and the failing import", async () => {
    const load = (spec: string) => loadPlugins({ cwd: dir, builtins: false, flags: [spec] });
    await expect(load("./nothing.mjs")).rejects.toThrow(/no default export and no export named 'plugin' \(it exports somethingElse\)/);
    await expect(load("./bad-create.mjs")).rejects.toThrow(/'architectures\[0\]\.create' is not a function/);
    await expect(load("./missing.mjs")).rejects.toThrow(/plugin \.\/missing\.mjs: no such file or directory/);
    await expect(load("./throws.mjs")).rejects.toThrow(/failed to import .*throws\.mjs: boom at import/);
    await expect(load("no-such-package-xyz")).rejects.toThrow(/package not found/);
  });
});

describe("recurse.config.*", () => {
  it("reads plugins from recurse.config.json relative to the file, before --plugin flags", async () => {
    const cfgDir = mkdtempSync(join(dir, "cfg-"));
    writeFileSync(join(cfgDir, "recurse.config.json"), JSON.stringify({ plugins: ["../good.mjs"], engine: "cpu" }));
    const r = await loadPlugins({ cwd: cfgDir, builtins: false, flags: ["../named.mjs"] });
    expect(r.plugins.map((p) => `${p.origin}:${p.plugin.name}`)).toEqual(["config:good", "flag:named"]);
    expect(r.configEngine).toBe("cpu");
    expect(r.configFile).toBe(join(cfgDir, "recurse.config.json"));
  });

  it("accepts plugin objects in a JS config and refuses unknown keys and two config files", async () => {
    const cfgDir = mkdtempSync(join(dir, "cfg-"));
    writeFileSync(join(cfgDir, "recurse.config.mjs"), `export default { plugins: [{ name: "inline" }] };\n`);
    const r = await loadPlugins({ cwd: cfgDir, builtins: false });
    expect(r.plugins.map((p) => p.plugin.name)).toEqual(["inline"]);
    writeFileSync(join(cfgDir, "recurse.config.json"), "{}");
    await expect(readConfigFile(cfgDir)).rejects.toThrow(/found recurse\.config\.mjs and recurse\.config\.json/);
    const typo = mkdtempSync(join(dir, "cfg-"));
    writeFileSync(join(typo, "recurse.config.json"), JSON.stringify({ plugin: ["x"] }));
    await expect(readConfigFile(typo)).rejects.toThrow(/recurse\.config\.json: plugin: unknown key; did you mean "plugins"\?/);
  });
});
