/**
 * Configuration under hostile input: `--set` assignments from a grammar of valid and invalid keys and values
 * (prototype keys, conflicts, deep nesting), architecture config resolution with arbitrary overrides,
 * `recurse.config.*` objects, plugin objects with a field of the wrong shape, and plugin modules on disk that
 * export the wrong thing. Each must give a ConfigError / RegistryError naming the key, file or plugin, and nothing
 * may reach Object.prototype.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import {
  ConfigError,
  createRegistry,
  definePlugin,
  parseOverrides,
  parseRecurseConfig,
  RegistryError,
  resolveArchitectureConfig,
  validatePlugin,
  type ArchitectureSpec,
  type Plugin,
} from "@recurse/core";
import { Ledger } from "./support/ledger";
import { applyByteEdits, applyJsonEdits, byteEdits, jsonEdits, seedOf } from "./support/mutate";

const ledger = new Ledger("config and plugins");
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "recurse-fuzz-config-"));
});
afterAll(async () => {
  ledger.print();
  await rm(dir, { recursive: true, force: true });
});

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort().join();
function expectNoPollution(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort().join()).toBe(PROTOTYPE_KEYS);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, "maxSteps")).toBe(false);
}

/** `[[[…]]]` nested `depth` deep: parses as JSON, but a naive JSON.stringify of it overflows the stack. */
const deepArray = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

const keyArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("hiddenSize", "halting.maxSteps", "halting.explorationProb", "posEncodings", "layers", "a", "a.b", "a.b.c", "$x", "x-y") },
  {
    weight: 2,
    arbitrary: fc.constantFrom("__proto__", "constructor", "prototype", "a.__proto__", "__proto__.polluted", "constructor.prototype.polluted", "a..b", ".a", "a.", "", " ", "a b", "1a", "a.1", "é", "a=b"),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);
const valueArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("128", "1e-4", "-0", "1e999", "-1e999", "0x10", "true", "false", "null", "'x'", '"x"', "rope", "none", "") },
  {
    weight: 3,
    arbitrary: fc.constantFrom("[1, 2]", "[rope, none]", "[1, [2]]", "[", "]", "{", '{"a": 1}', '{"maxSteps": 3}', '{"__proto__": {"polluted": 1}}', '{"constructor": {"prototype": {"polluted": 1}}}', '"unterminated', "[,]", "[a,,b]"),
  },
  { weight: 1, arbitrary: fc.constantFrom(deepArray(20_000), deepObject(20_000), deepArray(49_000)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
);
const assignmentArb = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(keyArb, fc.constantFrom("=", " = ", "=="), valueArb).map(([k, eq, v]) => `${k}${eq}${v}`) },
  { weight: 1, arbitrary: keyArb },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

/** A small architecture spec with nested, enum, array and optional fields, strict like the real ones. */
const tinySchema = z
  .object({
    hiddenSize: z.number().int().positive(),
    posEncodings: z.enum(["rope", "learned", "none"]),
    layers: z.array(z.number().int().nonnegative()).max(8).optional(),
    halting: z.object({ maxSteps: z.number().int().min(1), explorationProb: z.number().min(0).max(1) }).strict(),
  })
  .strict();
type TinyConfig = z.infer<typeof tinySchema>;
const looseSchema = tinySchema.strip();

function spec(schema: z.ZodType<TinyConfig>): ArchitectureSpec<TinyConfig> {
  return {
    id: "tiny-test",
    description: "a test architecture",
    schema,
    presets: { tiny: { hiddenSize: 8, posEncodings: "rope", halting: { maxSteps: 2, explorationProb: 0.1 } } },
    defaultPreset: "tiny",
    create: () => {
      throw new Error("not built in this test");
    },
  };
}

describe("--set overrides", () => {
  it("assignments from a grammar of keys and values parse to plain objects or fail with a ConfigError naming the --set", () => {
    fc.assert(
      fc.property(fc.array(assignmentArb, { minLength: 1, maxLength: 4 }), (assignments) => {
        const keys = assignments.map((a) => a.split("=")[0].trim()).filter((k) => k !== "");
        const out = ledger.run("parseOverrides: assignment grammar", { names: ["--set", ...keys], errorClass: ConfigError }, () => parseOverrides(assignments));
        expectNoPollution();
        if (out) {
          expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
          // The result's own keys come from the dotted keys given, never a prototype name. (Values parsed from
          // JSON may hold a "__proto__" key as plain data, as JSON.parse makes it; that is not pollution.)
          const firstSegments = new Set(keys.map((k) => k.split(".")[0]));
          for (const k of Object.keys(out)) {
            expect(firstSegments.has(k), k).toBe(true);
            expect(["__proto__", "constructor", "prototype"]).not.toContain(k);
          }
        }
      }),
      { seed: seedOf("overrides grammar"), numRuns: 4000 },
    );
  });

  it("a key set below a deeply nested value fails with a ConfigError, not a stack overflow while describing the value", () => {
    for (const value of [deepArray(49_000), deepArray(20_000)]) {
      ledger.run("parseOverrides: deep value conflicts", { names: "a.b", fault: true, mustReject: true, errorClass: ConfigError }, () => parseOverrides([`a=${value}`, "a.b=1"]));
      ledger.run("parseOverrides: deep value conflicts", { names: "a", fault: true, mustReject: true, errorClass: ConfigError }, () => parseOverrides(["a.b=1", `a=${value}`]));
    }
    // A deep object is a valid value: a key below it is set inside it.
    const out = parseOverrides([`a=${deepObject(15_000)}`, "a.b=1"]) as { a: { b: number } };
    expect(out.a.b).toBe(1);
  });

  it("random argument lists, including non-strings and over-long ones, never escape as untyped errors", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.constant("x=" + "9".repeat(100_001)), fc.anything() as fc.Arbitrary<string>), { maxLength: 4 }), (args) => {
        ledger.run("parseOverrides: random arguments", { errorClass: ConfigError }, () => parseOverrides(args));
        expectNoPollution();
      }),
      { seed: seedOf("overrides random"), numRuns: 2000 },
    );
  });
});

describe("architecture config resolution", () => {
  it("overrides from --set or random JSON resolve to a schema-valid config or a ConfigError naming the key", () => {
    const overridesArb = fc.oneof(
      fc.array(assignmentArb, { minLength: 1, maxLength: 3 }).map((a) => {
        try {
          return parseOverrides(a);
        } catch {
          return {};
        }
      }),
      fc.dictionary(fc.constantFrom("hiddenSize", "halting", "posEncodings", "layers", "hiddenSise", "extra", "__proto__"), fc.jsonValue({ maxDepth: 2 })),
      fc.record({ halting: fc.dictionary(fc.constantFrom("maxSteps", "explorationProb", "maxStep", "x"), fc.jsonValue({ maxDepth: 1 })) }),
      fc.constantFrom<unknown>(null, [], "x", 3, new Date(0), new Map()),
    );
    fc.assert(
      fc.property(overridesArb, fc.constantFrom(tinySchema, looseSchema), fc.constantFrom<string | undefined>(undefined, "tiny", "tinny", "__proto__", "constructor"), (overrides, schema, preset) => {
        const config = ledger.run("resolveArchitectureConfig: random overrides", { errorClass: ConfigError }, () =>
          resolveArchitectureConfig(spec(schema as z.ZodType<TinyConfig>), { preset, overrides: overrides as Record<string, unknown> }),
        );
        expectNoPollution();
        if (config) {
          expect(tinySchema.safeParse(config).success).toBe(true);
          // An accepted override is not silently dropped: its value is in the config.
          if (typeof overrides === "object" && overrides !== null && "hiddenSize" in overrides) expect(config.hiddenSize).toBe((overrides as TinyConfig).hiddenSize);
        }
      }),
      { seed: seedOf("resolve config"), numRuns: 3000 },
    );
  });
});

describe("recurse.config.*", () => {
  const file = "project/recurse.config.json";
  it("random and mutated config objects are validated with a ConfigError naming the file", () => {
    const valid = { $schema: "x", plugins: ["./my-plugin.mjs", "recurse-plugin-maze"], engine: "wasm" };
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 3 }), jsonEdits(3).map((e) => applyJsonEdits(valid, e))), fc.boolean(), (value, allowObjects) => {
        const parsed = ledger.run("parseRecurseConfig: random and mutated", { names: file, errorClass: ConfigError }, () => parseRecurseConfig(value, { file, allowPluginObjects: allowObjects }));
        if (parsed) {
          expect(parsed.plugins.every((p) => (typeof p === "string" && p.length > 0) || (allowObjects && typeof p === "object"))).toBe(true);
          expect([undefined, "auto", "tfjs-node-gpu", "tfjs-node", "wasm", "cpu"]).toContain(parsed.engine);
        }
      }),
      { seed: seedOf("recurse config"), numRuns: 3000 },
    );
  });
});

describe("recurse.config.json on disk, through the CLI", () => {
  it("random bytes and mutated configs give the CLI's located error or a valid config", async () => {
    const { readConfigFile } = (await import("@recurse/cli" as string)) as { readConfigFile: (dir: string) => Promise<{ plugins: unknown[]; engine?: string } | undefined> };
    const valid = new TextEncoder().encode(JSON.stringify({ plugins: ["./my-plugin.mjs"], engine: "wasm" }));
    const project = join(dir, "project");
    await import("node:fs/promises").then((fs) => fs.mkdir(project, { recursive: true }));
    const file = join(project, "recurse.config.json");
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 80 }), byteEdits(3).map((e) => applyByteEdits(valid, e)), jsonEdits(2).map((e) => new TextEncoder().encode(JSON.stringify(applyJsonEdits({ plugins: ["./a.mjs"], engine: "cpu" }, e))))), async (bytes) => {
        await writeFile(file, bytes);
        let error: unknown;
        let config: { plugins: unknown[]; engine?: string } | undefined;
        try {
          config = await readConfigFile(project);
        } catch (e) {
          error = e;
        }
        ledger.run("cli readConfigFile: recurse.config.json bytes", { fault: true }, () => {
          if (error === undefined) return config;
          const code = (error as { code?: unknown })?.code;
          expect(typeof code === "string" && code.startsWith("E_"), String(error)).toBe(true);
          expect((error as Error).message).toContain("recurse.config.json");
          throw new ConfigError((error as Error).message);
        });
        if (config) expect(config.plugins.every((p) => typeof p === "string" && p.length > 0)).toBe(true);
      }),
      { seed: seedOf("cli config file"), numRuns: 200 },
    );
  });
});

describe("plugin objects", () => {
  const arch = (): ArchitectureSpec<TinyConfig> => spec(tinySchema);
  const validPlugin = (): Record<string, unknown> => ({
    name: "fuzz-plugin",
    version: "1.0.0",
    architectures: [arch()],
    datasets: [
      {
        id: "fuzz-data",
        description: "d",
        buildSchema: z.object({}),
        build: async () => ({ out: "", splits: {}, seconds: 0 }),
        detect: () => false,
        render: () => "",
      },
    ],
    evaluators: [{ id: "fuzz-eval", description: "e", evaluate: () => ({}) }],
  });
  const PATHS = [
    "name", "version", "architectures", "datasets", "evaluators",
    "architectures.0", "architectures.0.id", "architectures.0.description", "architectures.0.schema", "architectures.0.presets",
    "architectures.0.presets.tiny", "architectures.0.defaultPreset", "architectures.0.create",
    "datasets.0", "datasets.0.id", "datasets.0.buildSchema", "datasets.0.build", "datasets.0.detect", "datasets.0.render", "datasets.0.parsePuzzle",
    "evaluators.0", "evaluators.0.id", "evaluators.0.evaluate", "evaluators.0.appliesTo",
  ];
  // Factories, so every case gets fresh objects (a shared zod schema must not be edited by a later edit).
  const replacement = fc
    .constantFrom<() => unknown>(() => undefined, () => null, () => 0, () => "", () => " ", () => "has space", () => "x", () => [], () => ({}), () => () => 1, () => z.string(), () => ({ safeParse: 1, parse: 1 }), () => [{}], () => "__proto__")
    .map((make) => make());

  it("a plugin with one field of the wrong shape is refused with a RegistryError naming the plugin", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...PATHS), replacement), { minLength: 1, maxLength: 2 }), (edits) => {
        const plugin = validPlugin();
        for (const [path, value] of edits) {
          const parts = path.split(".");
          let at: Record<string, unknown> | undefined = plugin;
          for (const p of parts.slice(0, -1)) at = at && typeof at[p] === "object" && at[p] !== null ? (at[p] as Record<string, unknown>) : undefined;
          // Edit only the plugin's own plain objects and arrays, not a zod schema put there by an earlier edit.
          if (!at || !(Array.isArray(at) || Object.getPrototypeOf(at) === Object.prototype)) continue;
          const last = parts[parts.length - 1];
          if (value === undefined) delete at[last];
          else at[last] = value;
        }
        const name = typeof plugin.name === "string" && plugin.name.trim() !== "" ? plugin.name : "plugin";
        ledger.run("validatePlugin: one field wrong", { names: name, fault: true, errorClass: RegistryError }, () => validatePlugin(plugin));
        ledger.run("createRegistry().use: one field wrong", { names: name, fault: true, errorClass: RegistryError }, () => createRegistry().use(plugin as unknown as Plugin));
      }),
      { seed: seedOf("plugin objects"), numRuns: 2000 },
    );
    expect(ledger.counts("validatePlugin: one field wrong").rejected).toBeGreaterThan(1000);
  });

  it("random values are refused as plugins", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        ledger.run("validatePlugin: random values", { errorClass: RegistryError }, () => validatePlugin(value));
      }),
      { seed: seedOf("plugin random"), numRuns: 2000 },
    );
  });

  it("the same plugin twice, or two plugins sharing an id, fail naming both plugins; a failed use() registers nothing", () => {
    const a = definePlugin(validPlugin() as unknown as Plugin);
    const b = definePlugin({ ...(validPlugin() as unknown as Plugin), name: "other", datasets: [], evaluators: [] });
    const registry = createRegistry().use(a);
    // A plugin list with a hole (`[arch, , other]`, a double-comma typo) is refused, not crashed on.
    // eslint-disable-next-line no-sparse-arrays
    const holey = { ...validPlugin(), architectures: [arch(), , { ...arch(), id: "second" }] };
    ledger.run("validatePlugin: list with a hole", { names: "architectures[1]", fault: true, mustReject: true, errorClass: RegistryError }, () => validatePlugin(holey));
    ledger.run("createRegistry().use: list with a hole", { names: "architectures[1]", fault: true, mustReject: true, errorClass: RegistryError }, () => createRegistry().use(holey as unknown as Plugin));
    ledger.run("createRegistry().use: duplicate ids", { names: ["fuzz-plugin", "other"], fault: true, mustReject: true, errorClass: RegistryError }, () => registry.use(b));
    expect(registry.plugins.length).toBe(1);
    expect(registry.architectures.pluginOf("tiny-test")).toBe("fuzz-plugin");
  });
});

describe("plugin modules on disk", () => {
  const WRONG_MODULES: [string, string][] = [
    ["number", "export default 42;"],
    ["array", "export default [];"],
    ["null", "export default null;"],
    ["no name", "export default { architectures: [] };"],
    ["empty name", 'export default { name: "" };'],
    ["architectures not a list", 'export default { name: "p", architectures: {} };'],
    ["architecture without create", 'export default { name: "p", architectures: [{ id: "a", description: "", schema: { safeParse() {}, parse() {} }, presets: { x: {} }, defaultPreset: "x" }] };'],
    ["defaultPreset missing", 'export default { name: "p", architectures: [{ id: "a", description: "", schema: { safeParse() {}, parse() {} }, presets: {}, defaultPreset: "x", create() {} }] };'],
    ["id with a space", 'export default { name: "p", evaluators: [{ id: "a b", description: "", evaluate() {} }] };'],
    ["named export only", 'export const plugins = { name: "p" };'],
    ["default is a function", "export default function plugin() {}"],
  ];

  it("modules exporting the wrong shape give a RegistryError naming the plugin field, never an untyped error", async () => {
    let i = 0;
    const cases: [string, string][] = [...WRONG_MODULES];
    // Plus modules whose default export is a random JSON value, or a mutated valid plugin object literal.
    fc.sample(fc.jsonValue({ maxDepth: 2 }), { seed: seedOf("plugin module values"), numRuns: 150 }).forEach((v, k) => cases.push([`random ${k}`, `export default ${JSON.stringify(v)};`]));
    const literal = { name: "p", evaluators: [{ id: "e", description: "d" }] };
    fc.sample(jsonEdits(2), { seed: seedOf("plugin module edits"), numRuns: 150 }).forEach((e, k) =>
      cases.push([`mutated ${k}`, `const p = ${JSON.stringify(applyJsonEdits(literal, e))}; if (p && typeof p === "object" && Array.isArray(p.evaluators)) for (const x of p.evaluators) if (x && typeof x === "object") x.evaluate = () => ({}); export default p;`]),
    );
    for (const [label, source] of cases) {
      const file = join(dir, `plugin-${i++}.mjs`);
      await writeFile(file, source);
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      ledger.run("validatePlugin: module exports", { fault: true, errorClass: RegistryError }, () => {
        if (!("default" in mod)) throw new RegistryError(`${file}: no default export (${label})`);
        return validatePlugin(mod.default);
      });
    }
    expect(ledger.counts("validatePlugin: module exports").rejected).toBeGreaterThan(WRONG_MODULES.length + 150);
  });

  it("the CLI's plugin loader names the module for each wrong export, a throwing module and a syntax error", async () => {
    const { importPlugin } = (await import("@recurse/cli" as string)) as { importPlugin: (spec: string, base: string) => Promise<unknown> };
    const extra: [string, string][] = [
      ["throws on import", 'throw new Error("boom");'],
      ["syntax error", "export default {"],
      ["imports a missing package", 'import "recurse-no-such-package"; export default { name: "p" };'],
    ];
    let i = 0;
    for (const [label, source] of [...WRONG_MODULES, ...extra]) {
      const name = `cli-plugin-${i++}.mjs`;
      await writeFile(join(dir, name), source);
      // The CLI checks the export's basic shape; what passes it must then be refused by the registry.
      let error: unknown;
      try {
        const plugin = await importPlugin(`./${name}`, dir);
        createRegistry().use(plugin as Plugin);
      } catch (e) {
        error = e;
      }
      ledger.run("cli importPlugin + use: wrong modules", { fault: true, mustReject: true }, () => {
        if (error instanceof RegistryError) throw error;
        // The CLI's own errors are CliError (code E_CLI), recognised by code across copies of core.
        const code = (error as { code?: unknown })?.code;
        expect(typeof code === "string" && code.startsWith("E_"), `${label}: ${String(error)}`).toBe(true);
        expect((error as Error).message, label).toContain(name);
        throw new RegistryError((error as Error).message);
      });
    }
  });
});
