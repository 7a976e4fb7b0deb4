/**
 * @recurse/hrm: the Hierarchical Reasoning Model (ACT v1 with Q-learning halting) as a Recurse plugin.
 */
export { hrmConfigSchema, hrmPrefixLength, type HrmConfig, type HrmConfigInput } from "./config";
export { hrmPresets } from "./presets";
export { HrmReasoner } from "./hrm-reasoner";
export { countHrmConfigParameters } from "./parameter-count";
export { hrm, hrmArchitecture } from "./plugin";
