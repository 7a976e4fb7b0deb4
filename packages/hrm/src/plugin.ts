import { definePlugin, type ArchitectureSpec, type Plugin } from "@recurse/core";
import { hrmConfigSchema, type HrmConfig } from "./config";
import { hrmPresets } from "./presets";
import { HrmReasoner } from "./hrm-reasoner";

/**
 * `hrm`: the Hierarchical Reasoning Model, ACT v1 with Q-learning halting.
 *
 * @example
 * ```ts
 * const config = hrmArchitecture.schema.parse({ ...hrmArchitecture.presets.sudoku6, seed: 1 });
 * const model = hrmArchitecture.create(config);
 * ```
 */
export const hrmArchitecture: ArchitectureSpec<HrmConfig> = {
  id: "hrm",
  description:
    "Hierarchical Reasoning Model (ACT v1): two 4-block modules, zL ← L(zL, zH + x) k times then zH ← H(zH, zL), T cycles per step, 1-step gradient, Q-learning halting",
  schema: hrmConfigSchema,
  presets: hrmPresets as Record<string, Partial<HrmConfig>>,
  defaultPreset: "tiny",
  create: (config) => new HrmReasoner(config),
};

/**
 * The `@recurse/hrm` plugin: architecture `hrm`.
 *
 * @example
 * ```ts
 * const registry = createRegistry().use(hrm);
 * const model = registry.architectures.create("hrm", { preset: "sudoku6" });
 * ```
 */
export const hrm: Plugin = definePlugin({
  name: "@recurse/hrm",
  architectures: [hrmArchitecture],
});
