import { definePlugin, type ArchitectureSpec, type Plugin } from "@recurse/core";
import {
  transformerBaselineConfigSchema,
  trmConfigSchema,
  type TransformerBaselineConfig,
  type TrmConfig,
} from "./config";
import { transformerBaselinePresets, trmPresets } from "./presets";
import { TrmReasoner } from "./trm-reasoner";
import { TransformerBaselineReasoner } from "./baseline-reasoner";

/**
 * `trm`: the Tiny Recursive Model (attention or token-mixing MLP blocks).
 *
 * @example
 * ```ts
 * const config = trmArchitecture.schema.parse({ ...trmArchitecture.presets["sudoku6-mlp"], seed: 1 });
 * const model = trmArchitecture.create(config);
 * ```
 */
export const trmArchitecture: ArchitectureSpec<TrmConfig> = {
  id: "trm",
  description: "Tiny Recursive Model: one 2-block network, z ← net(z + y + x) n times then y ← net(y + z), T cycles per step",
  schema: trmConfigSchema,
  presets: trmPresets as Record<string, Partial<TrmConfig>>,
  defaultPreset: "tiny",
  create: (config) => new TrmReasoner(config),
};

/** `transformer-baseline`: single-pass direct prediction with TRM's blocks and ACT loop. */
export const transformerBaselineArchitecture: ArchitectureSpec<TransformerBaselineConfig> = {
  id: "transformer-baseline",
  description: "Single-pass transformer baseline (direct prediction): y ← net(y + x) once per supervision step",
  schema: transformerBaselineConfigSchema,
  presets: transformerBaselinePresets as Record<string, Partial<TransformerBaselineConfig>>,
  defaultPreset: "tiny",
  create: (config) => new TransformerBaselineReasoner(config),
};

/**
 * The `@recurse/trm` plugin: architectures `trm` and `transformer-baseline`.
 *
 * @example
 * ```ts
 * const registry = createRegistry().use(trm);
 * ```
 */
export const trm: Plugin = definePlugin({
  name: "@recurse/trm",
  architectures: [trmArchitecture, transformerBaselineArchitecture],
});
