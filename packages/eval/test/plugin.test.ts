import { describe, expect, it } from "vitest";
import { createRegistry, validatePlugin } from "@recurse/core";
import { evaluators } from "@recurse/eval";

describe("the @recurse/eval plugin", () => {
  it("is a valid plugin with the dataset-independent evaluators", () => {
    expect(() => validatePlugin(evaluators)).not.toThrow();
    expect(evaluators.name).toBe("@recurse/eval");
    expect(evaluators.evaluators!.map((e) => e.id)).toEqual(["exact-accuracy", "token-accuracy", "step-curve", "halting"]);
  });

  it("registers into a registry", () => {
    const registry = createRegistry().use(evaluators);
    expect(registry.evaluators.get("halting").id).toBe("halting");
  });
});
