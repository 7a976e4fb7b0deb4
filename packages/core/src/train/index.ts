export { supervisionStep } from "./supervision-step";
export type { SupervisionStepOptions, SupervisionStepResult, SupervisionOutputs } from "./supervision-step";
export { supervisionMetrics } from "./metrics";
export type { SupervisionMetrics, SlotOutcome } from "./metrics";
