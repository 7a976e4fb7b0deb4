import { describe, expect, it } from "vitest";
import { ConfigError, parseOverrideValue, parseOverrides, parseRecurseConfig, setOverride } from "@recurse/core";
import { expectThrown } from "../../../test-support/expect-thrown";

const configError = (fn: () => unknown, ...parts: RegExp[]): ConfigError => expectThrown(fn, ConfigError, ...parts);

describe("--set values", () => {
  it("parses numbers, booleans, null, strings and arrays", () => {
    expect(parseOverrideValue("128")).toBe(128);
    expect(parseOverrideValue("-0.5")).toBe(-0.5);
    expect(parseOverrideValue("1e-4")).toBe(0.0001);
    expect(parseOverrideValue(".25")).toBe(0.25);
    expect(parseOverrideValue(" true ")).toBe(true);
    expect(parseOverrideValue("false")).toBe(false);
    expect(parseOverrideValue("null")).toBe(null);
    expect(parseOverrideValue("rope")).toBe("rope");
    expect(parseOverrideValue("runs/a b")).toBe("runs/a b");
    expect(parseOverrideValue('"128"')).toBe("128");
    expect(parseOverrideValue("'true'")).toBe("true");
    expect(parseOverrideValue("")).toBe("");
    expect(parseOverrideValue("[3, 6]")).toEqual([3, 6]);
    expect(parseOverrideValue("[rope, 2, true]")).toEqual(["rope", 2, true]);
    expect(parseOverrideValue("[]")).toEqual([]);
    expect(parseOverrideValue('{"a": [1, {"b": null}]}')).toEqual({ a: [1, { b: null }] });
    expect(parseOverrideValue("0x10")).toBe("0x10");
    expect(parseOverrideValue("Infinity")).toBe("Infinity");
  });

  it("rejects malformed JSON-ish values with the key", () => {
    configError(() => parseOverrideValue("[1, [2]", "cycles"), /^cycles: cannot parse array element 1 "\[2"/);
    configError(() => parseOverrideValue("[1, 2", "cycles"), /^cycles: cannot parse "\[1, 2"/);
    configError(() => parseOverrideValue("[1,,2]", "cycles"), /^cycles: cannot parse array element 1 ""/);
    configError(() => parseOverrideValue('{"a": }', "x"), /^x: cannot parse/, /valid JSON/);
    configError(() => parseOverrideValue('"open', "x"), /^x: cannot parse/);
    configError(() => parseOverrideValue("1e999", "lr"), /^lr: number 1e999 is out of range/);
  });
});

describe("parseOverrides", () => {
  it("builds nested overrides from dotted keys; later assignments win", () => {
    expect(parseOverrides(["hiddenSize=128", "halting.maxSteps=8", "halting.policy=fixed", "posEncodings=none", "hiddenSize=256", "note=a=b"])).toEqual({
      hiddenSize: 256,
      halting: { maxSteps: 8, policy: "fixed" },
      posEncodings: "none",
      note: "a=b",
    });
    expect(parseOverrides([])).toEqual({});
  });

  it("names the bad argument", () => {
    configError(() => parseOverrides(["hiddenSize"]), /--set "hiddenSize" has no '='/, /key=value/);
    configError(() => parseOverrides(["=3"]), /has an empty key/);
    configError(() => parseOverrides(["a..b=1"]), /^a\.\.b: invalid key "a\.\.b"/, /dotted identifiers/);
    configError(() => parseOverrides(["__proto__.x=1"]), /invalid key "__proto__\.x"/);
    configError(() => parseOverrides(["a.constructor=1"]), /invalid key/);
    configError(() => parseOverrides(["a=1", "a.b=2"]), /^a\.b: cannot set a\.b: a is already set to 1/);
    configError(() => parseOverrides(["a.b=2", "a=1"]), /^a: cannot set a to 1: sub-keys of it are set too/);
    configError(() => parseOverrides(["x=" + "1".repeat(100_001)]), /too long/);
    configError(() => parseOverrides([3 as unknown as string]), /--set argument is number/);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("setOverride replaces an object with an object", () => {
    const o: Record<string, unknown> = {};
    setOverride(o, "a.b", 1);
    setOverride(o, "a", { c: 2 });
    expect(o).toEqual({ a: { c: 2 } });
  });
});

describe("recurse.config", () => {
  it("accepts plugins, engine and $schema", () => {
    expect(parseRecurseConfig({})).toEqual({ plugins: [] });
    expect(parseRecurseConfig({ plugins: ["./p.mjs", "recurse-plugin-maze"], engine: "wasm", $schema: "x" })).toEqual({
      plugins: ["./p.mjs", "recurse-plugin-maze"],
      engine: "wasm",
      $schema: "x",
    });
    const inline = { name: "inline" };
    expect(parseRecurseConfig({ plugins: [inline] }, { allowPluginObjects: true }).plugins[0]).toBe(inline);
  });

  it("refuses typos, wrong types and objects in JSON configs, naming the file and key", () => {
    const file = "proj/recurse.config.json";
    const e = configError(() => parseRecurseConfig({ plugin: ["x"] }, { file }), /^proj\/recurse\.config\.json: plugin: unknown key; did you mean "plugins"\?/);
    expect(e.location).toMatchObject({ file, field: "plugin" });
    configError(() => parseRecurseConfig({ plugins: "x" }, { file }), /plugins: plugins: Invalid input: expected array/);
    configError(() => parseRecurseConfig({ plugins: [""] }, { file }), /plugins\[0\]/);
    configError(() => parseRecurseConfig({ engine: "gpu" }, { file }), /engine: engine: Invalid option/, /"auto"/);
    configError(() => parseRecurseConfig({ plugins: [{ name: "x" }] }, { file }), /plugins\[0\]: plugin objects are only allowed in JavaScript configs/);
    configError(() => parseRecurseConfig([], { file }), /expected object/);
    configError(() => parseRecurseConfig(null), /^recurse\.config: /);
  });
});
