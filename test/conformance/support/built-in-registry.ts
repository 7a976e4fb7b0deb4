/** The registry of every built-in plugin that contributes architectures, and each one's test-sized config. */
import { createRegistry, type ArchitectureSpec, type Registry } from "@recurse/core";
import { hrm } from "@recurse/hrm";
import { trm } from "@recurse/trm";

/** Built-in plugins with architectures; a new one is added here and every conformance test then covers it. */
export const architecturePlugins = [trm, hrm];

export function builtInRegistry(): Registry {
  const registry = createRegistry();
  for (const plugin of architecturePlugins) registry.use(plugin);
  return registry;
}

/** `tiny` when the architecture has it (the small CPU shapes), else its default preset. */
export function testPreset(spec: ArchitectureSpec<any>): string {
  return "tiny" in spec.presets ? "tiny" : spec.defaultPreset;
}

/** The dataset sizes the registry contract puts in every config. */
export interface DataSizes {
  vocabSize: number;
  seqLen: number;
  numPuzzleIdentifiers: number;
}

/** The data sizes of a resolved config, refusing a config that lacks them (the contract says they are there). */
export function dataSizes(id: string, config: Record<string, unknown>): DataSizes {
  const pick = (field: keyof DataSizes): number => {
    const v = config[field];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
      throw new Error(`architecture '${id}': config.${field} is ${JSON.stringify(v)}, expected a positive integer (registry contract)`);
    }
    return v;
  };
  return { vocabSize: pick("vocabSize"), seqLen: pick("seqLen"), numPuzzleIdentifiers: pick("numPuzzleIdentifiers") };
}
