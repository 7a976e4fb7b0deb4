export { initEngine, currentEngine } from "./init-engine";
export type { EngineInfo, EngineName, EngineRequest } from "./init-engine";
