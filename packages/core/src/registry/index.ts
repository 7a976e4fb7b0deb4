export * from "./types";
export { definePlugin, validatePlugin } from "./define-plugin";
export { createRegistry, type ArchitectureCollection, type Registry, type RegistryCollection, type UseOptions } from "./create-registry";
export { resolveArchitectureConfig, mergeConfig, type ResolveConfigOptions } from "./resolve-config";
export { didYouMean, editDistance } from "./did-you-mean";
export { parseOverrides, parseOverrideValue, setOverride } from "./overrides";
export { parseRecurseConfig, type RecurseConfig, type ParseRecurseConfigOptions } from "./recurse-config";
