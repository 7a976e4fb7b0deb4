export * from "./types";
export { noGrad } from "./no-grad";
export { segment, updatePlan } from "./segment";
export type { SegmentOptions, SegmentResult, UpdateKind } from "./segment";
export { haltingPolicy, decideHalting, explorationMinSteps } from "./halting";
export type { HaltingPolicy, HaltingInput } from "./halting";
export { initialCarry, disposeCarry, startStep } from "./carry";
export type { SupervisionCarry } from "./carry";
