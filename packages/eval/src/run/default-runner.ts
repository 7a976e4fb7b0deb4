import { ConfigError } from "@recurse/core";
import type { EvaluationRunner } from "./inputs";

/** Core's batched evaluation, once core exports it. */
export const defaultRunner: EvaluationRunner = async () => {
  throw new ConfigError("no evaluation engine: core's batched evaluation is not available; pass options.runner", { field: "runner" });
};
