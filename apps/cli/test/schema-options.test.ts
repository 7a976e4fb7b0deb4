import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Command } from "commander";
import { addSchemaOptions, collectSchemaValues, schemaFlags } from "../src/options/schema-options";

const schema = z
  .object({
    inputs: z.array(z.string()).default([]),
    trainSize: z.number().int().min(1).optional().describe("training puzzles"),
    ratio: z.number(),
    mode: z.enum(["a", "b"]).default("a"),
    size: z.union([z.literal(4), z.literal(9)]).default(9),
    testSet: z.union([z.string(), z.array(z.string())]).default("evaluation"),
    translate: z.boolean().default(true),
    leakFree: z.boolean().default(false),
    generate: z.object({ count: z.number().int(), size: z.number().int(), givens: z.number().int().optional() }).optional(),
    out: z.string(),
  })
  .strict()
  .superRefine(() => {});

describe("flags from a dataset's zod build schema", () => {
  const flags = schemaFlags(schema);
  const byFlag = Object.fromEntries(flags.map((f) => [f.flag, f]));

  it("maps each field to a kebab-case flag of the right kind", () => {
    expect(flags.map((f) => f.flag)).toEqual(["--input", "--train-size", "--ratio", "--mode", "--size", "--test-set", "--translate", "--leak-free", "--generate", "--generate-size", "--givens", "--out"]);
    expect(byFlag["--input"]).toMatchObject({ path: ["inputs"], kind: "string[]", required: false });
    expect(byFlag["--train-size"]).toMatchObject({ kind: "integer", description: "training puzzles", required: false });
    expect(byFlag["--ratio"]).toMatchObject({ kind: "number", required: true });
    expect(byFlag["--mode"]).toMatchObject({ kind: "enum", choices: ["a", "b"], defaultValue: "a" });
    expect(byFlag["--size"]).toMatchObject({ kind: "enum", choices: ["4", "9"] });
    expect(byFlag["--test-set"]).toMatchObject({ kind: "string[]" });
    // A nested object with a count: --generate N, and its other fields (prefixed where a top-level key clashes).
    expect(byFlag["--generate"]).toMatchObject({ path: ["generate", "count"], kind: "integer" });
    expect(byFlag["--generate-size"]).toMatchObject({ path: ["generate", "size"], requires: "--generate" });
    expect(byFlag["--givens"]).toMatchObject({ path: ["generate", "givens"], requires: "--generate" });
  });

  it("parses a command line into the object the schema accepts", () => {
    const cmd = new Command("x").exitOverride();
    addSchemaOptions(cmd, flags);
    cmd.parse(["--input", "a.csv", "--input", "b.csv", "--ratio", "0.5", "--size", "4", "--test-set", "ev", "--no-translate", "--leak-free", "--generate", "20", "--generate-size", "4", "--givens", "7", "--out", "d"], { from: "user" });
    const values = collectSchemaValues(flags, cmd.opts());
    expect(values).toEqual({
      inputs: ["a.csv", "b.csv"],
      ratio: 0.5,
      size: 4,
      testSet: ["ev"],
      translate: false,
      leakFree: true,
      generate: { count: 20, size: 4, givens: 7 },
      out: "d",
    });
    expect(schema.parse(values)).toMatchObject({ mode: "a", size: 4, generate: { count: 20 } });
  });

  it("refuses non-numbers, fractions for integers, and nested flags without their parent", () => {
    expect(() => collectSchemaValues(flags, { ratio: "x" })).toThrow("--ratio: expected a number, got 'x'");
    expect(() => collectSchemaValues(flags, { trainSize: "2.5" })).toThrow("--train-size: expected an integer, got '2.5'");
    expect(() => collectSchemaValues(flags, { givens: "3" })).toThrow("--givens needs --generate");
  });
});
