import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ConfigError,
  RegistryError,
  createRegistry,
  definePlugin,
  didYouMean,
  editDistance,
  type ArchitectureSpec,
  type DatasetSpec,
  type EvaluatorSpec,
  type RecursiveReasoner,
} from "@recurse/core";
import { expectThrown } from "../../../test-support/expect-thrown";

const toySchema = z
  .object({
    hiddenSize: z.number().int().positive().default(64),
    numHeads: z.number().int().positive().default(4),
    posEncodings: z.enum(["rope", "none"]).default("rope"),
    halting: z
      .object({ maxSteps: z.number().int().min(1).default(16), explorationProb: z.number().min(0).max(1).default(0.1) })
      .strict()
      .default({ maxSteps: 16, explorationProb: 0.1 }),
    cycles: z.array(z.number().int()).default([3, 6]),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.hiddenSize % c.numHeads !== 0) ctx.addIssue({ code: "custom", path: ["numHeads"], message: `numHeads ${c.numHeads} does not divide hiddenSize ${c.hiddenSize}` });
  });

type ToyConfig = z.output<typeof toySchema>;

/** The registry only hands the config through; a reasoner is not needed to test it, so create returns the config. */
function architecture(id: string, schema: z.ZodType<any> = toySchema): ArchitectureSpec<ToyConfig> {
  return {
    id,
    description: `toy ${id}`,
    schema,
    // Nested preset objects are merged key by key, so a partial `halting` is fine (Partial<C> is shallow).
    presets: { small: { hiddenSize: 32, halting: { maxSteps: 4 } as ToyConfig["halting"] }, paper: { hiddenSize: 512, numHeads: 8 } },
    defaultPreset: "small",
    create: (config) => ({ architecture: id, config }) as unknown as RecursiveReasoner,
  };
}

const dataset: DatasetSpec = {
  id: "sudoku",
  description: "toy dataset",
  buildSchema: z.object({}),
  build: async () => ({ out: "", splits: {}, seconds: 0 }),
  detect: () => true,
  render: () => "",
};
const evaluator: EvaluatorSpec = { id: "exact-accuracy", description: "toy", evaluate: () => ({}) };

const registryError = (fn: () => unknown, ...parts: RegExp[]): RegistryError => expectThrown(fn, RegistryError, ...parts);

const configError = (fn: () => unknown, ...parts: RegExp[]): ConfigError => expectThrown(fn, ConfigError, ...parts);

describe("definePlugin", () => {
  it("returns a well-formed plugin unchanged", () => {
    const plugin = { name: "toys", architectures: [architecture("trm")], datasets: [dataset], evaluators: [evaluator] };
    expect(definePlugin(plugin)).toBe(plugin);
    expect(definePlugin({ name: "empty" })).toEqual({ name: "empty" });
  });

  it("names the plugin, entry and field of a malformed plugin", () => {
    const bad = (p: unknown) => () => definePlugin(p as never);
    registryError(bad(null), /a plugin must be an object, got null/);
    registryError(bad({}), /plugin: name is missing \(expected a non-empty string\)/);
    registryError(bad({ name: "  " }), /name is a string/);
    registryError(bad({ name: "p", version: 2 }), /plugin "p": version is a number/);
    registryError(bad({ name: "p", architectures: {} }), /plugin "p": architectures is a object \(expected an array\)/);
    registryError(bad({ name: "p", architectures: [3] }), /architectures\[0\] is a number \(expected an object\)/);
    const { create: _c, ...noCreate } = architecture("trm");
    registryError(bad({ name: "p", architectures: [noCreate] }), /plugin "p": architectures\[0\] \("trm"\): create is missing \(expected a function\)/);
    registryError(bad({ name: "p", architectures: [{ ...architecture("trm"), schema: {} }] }), /schema is a object \(expected a zod schema/);
    registryError(bad({ name: "p", architectures: [{ ...architecture("trm"), id: 7 }] }), /architectures\[0\]: id is a number/);
    registryError(bad({ name: "p", architectures: [{ ...architecture("trm"), id: "a b" }] }), /id must be non-empty without spaces/);
    registryError(bad({ name: "p", architectures: [{ ...architecture("trm"), defaultPreset: "big" }] }), /defaultPreset "big" is not one of its presets \(small, paper\)/);
    registryError(bad({ name: "p", architectures: [{ ...architecture("trm"), presets: { small: 3 } }] }), /presets\.small is a number/);
    registryError(bad({ name: "p", architectures: [architecture("trm"), architecture("trm")] }), /architectures lists id "trm" twice/);
    registryError(bad({ name: "p", datasets: [{ ...dataset, render: "x" }] }), /datasets\[0\] \("sudoku"\): render is a string/);
    registryError(bad({ name: "p", datasets: [{ ...dataset, parsePuzzle: 1 }] }), /parsePuzzle is a number/);
    registryError(bad({ name: "p", evaluators: [{ id: "e", description: "" }] }), /evaluators\[0\] \("e"\): evaluate is missing/);
  });
});

describe("createRegistry", () => {
  it("starts empty and registers plugins chainably", () => {
    const a = definePlugin({ name: "a", architectures: [architecture("trm"), architecture("hrm")] });
    const b = definePlugin({ name: "b", datasets: [dataset], evaluators: [evaluator] });
    expect(createRegistry().architectures.list()).toEqual([]);
    const registry = createRegistry().use(a).use(b);
    expect(registry.architectures.ids()).toEqual(["trm", "hrm"]);
    expect(registry.architectures.has("hrm")).toBe(true);
    expect(registry.architectures.has("nope")).toBe(false);
    expect(registry.datasets.get("sudoku")).toBe(dataset);
    expect(registry.evaluators.list()).toEqual([evaluator]);
    expect(registry.architectures.pluginOf("trm")).toBe("a");
    expect(registry.plugins.map((p) => p.name)).toEqual(["a", "b"]);
  });

  it("fails on unknown ids with the known ones and a did-you-mean", () => {
    const registry = createRegistry().use({ name: "a", architectures: [architecture("trm"), architecture("hrm")], datasets: [dataset] });
    registryError(() => registry.architectures.get("trn"), /unknown architecture "trn"; did you mean "trm"\? \(known: trm, hrm\)/);
    registryError(() => registry.datasets.get("maze"), /unknown dataset "maze" \(known: sudoku\)/);
    registryError(() => registry.evaluators.get("x"), /unknown evaluator "x" \(known: none registered\)/);
    registryError(() => registry.architectures.create("TRM!"), /unknown architecture "TRM!"; did you mean "trm"\?/);
  });

  it("refuses duplicate ids unless replaced explicitly, registering nothing from a failing plugin", () => {
    const registry = createRegistry().use({ name: "first", architectures: [architecture("trm")] });
    const second = { name: "second", datasets: [dataset], architectures: [architecture("trm")] };
    registryError(() => registry.use(second), /architecture "trm" of plugin "second" is already registered by plugin "first"; use\(plugin, \{ replace: true \}\)/);
    expect(registry.datasets.has("sudoku")).toBe(false);
    expect(registry.plugins.map((p) => p.name)).toEqual(["first"]);
    registry.use(second, { replace: true });
    expect(registry.architectures.pluginOf("trm")).toBe("second");
    expect(registry.architectures.get("trm")).toBe(second.architectures[0]);
    registryError(() => registry.use({ name: "bad", architectures: "x" } as never), /architectures is a string/);
  });
});

describe("architecture config resolution", () => {
  const registry = createRegistry().use({ name: "toys", architectures: [architecture("trm")] });

  it("merges preset and overrides (nested objects key by key) over the schema defaults", () => {
    expect(registry.architectures.resolveConfig("trm")).toEqual({
      hiddenSize: 32,
      numHeads: 4,
      posEncodings: "rope",
      halting: { maxSteps: 4, explorationProb: 0.1 },
      cycles: [3, 6],
    });
    const c = registry.architectures.resolveConfig("trm", { preset: "paper", overrides: { halting: { explorationProb: 0 }, cycles: [1] } });
    expect(c).toEqual({ hiddenSize: 512, numHeads: 8, posEncodings: "rope", halting: { maxSteps: 16, explorationProb: 0 }, cycles: [1] });
    const small = registry.architectures.resolveConfig("trm", { overrides: { halting: { explorationProb: 0.5 } } });
    expect(small.halting).toEqual({ maxSteps: 4, explorationProb: 0.5 });
    const reasoner = registry.architectures.create("trm", { preset: "paper", overrides: { hiddenSize: 128 } }) as unknown as { config: ToyConfig };
    expect(reasoner.config.hiddenSize).toBe(128);
    expect(reasoner.config.numHeads).toBe(8);
  });

  it("turns zod errors into ConfigErrors naming the key path and expected form", () => {
    const e1 = configError(
      () => registry.architectures.resolveConfig("trm", { overrides: { hiddenSize: "big" } }),
      /^hiddenSize: Invalid input: expected number, received string \(got "big"; architecture "trm" \(preset "small"\)\)/,
    );
    expect(e1.location.field).toBe("hiddenSize");
    configError(() => registry.architectures.resolveConfig("trm", { overrides: { halting: { maxSteps: 0 } } }), /^halting\.maxSteps: Too small: expected number to be >=1 \(got 0;/);
    configError(() => registry.architectures.resolveConfig("trm", { overrides: { posEncodings: "alibi" } }), /^posEncodings: Invalid option: expected one of "rope"\|"none"/);
    configError(() => registry.architectures.resolveConfig("trm", { overrides: { cycles: [1, "x"] } }), /^cycles\[1\]: Invalid input: expected number/);
    configError(() => registry.architectures.resolveConfig("trm", { overrides: { numHeads: 5 } }), /^numHeads: numHeads 5 does not divide hiddenSize 32 \(got 5;/);
    configError(
      () => registry.architectures.resolveConfig("trm", { overrides: { hiddenSize: "a", numHeads: "b" } }),
      /hiddenSize: .*; also numHeads: Invalid input/,
    );
  });

  it("names unknown keys with a did-you-mean, for strict and non-strict schemas", () => {
    configError(() => registry.architectures.resolveConfig("trm", { overrides: { hiddenSiz: 8 } }), /^hiddenSiz: unknown config key for architecture "trm" \(preset "small"\); did you mean "hiddenSize"\?/);
    configError(() => registry.architectures.resolveConfig("trm", { overrides: { halting: { maxStep: 8 } } }), /^halting\.maxStep: unknown config key.*did you mean "maxSteps"\? \(known: maxSteps, explorationProb\)/);
    const loose = createRegistry().use({ name: "l", architectures: [architecture("loose", z.object({ hiddenSize: z.number().default(1), inner: z.object({ depth: z.number().default(2) }).default({ depth: 2 }) }))] });
    configError(() => loose.architectures.resolveConfig("loose", { overrides: { hidenSize: 3 } }), /^hidenSize: unknown config key.*did you mean "hiddenSize"\?/);
    configError(() => loose.architectures.resolveConfig("loose", { overrides: { inner: { dept: 3 } } }), /^inner\.dept: unknown config key.*did you mean "depth"\?/);
    expect(loose.architectures.resolveConfig("loose", { overrides: { inner: { depth: 3 } } })).toEqual({ hiddenSize: 32, inner: { depth: 3 } });
  });

  it("fails on unknown presets and non-object overrides", () => {
    configError(() => registry.architectures.resolveConfig("trm", { preset: "smal" }), /^preset: architecture "trm": unknown preset "smal"; did you mean "small"\? \(known: small, paper\)/);
    configError(() => registry.architectures.resolveConfig("trm", { overrides: [1] as never }), /overrides must be a plain object/);
  });
});

describe("did you mean", () => {
  it("measures edit distance and suggests only plausible typos", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("TRM", "trm")).toBe(0);
    expect(didYouMean("hiddenSiz", ["hiddenSize", "numHeads"])).toBe("hiddenSize");
    expect(didYouMean("sudko", ["sudoku", "arc", "maze"])).toBe("sudoku");
    expect(didYouMean("xyz", ["sudoku", "arc"])).toBeUndefined();
    expect(didYouMean("a", [])).toBeUndefined();
  });
});
