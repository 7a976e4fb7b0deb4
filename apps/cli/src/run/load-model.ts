import { join } from "node:path";
import { ConfigError, loadCheckpoint, loadReasoner, type PuzzleDatasetMetadata, type Registry, type RecursiveReasoner } from "@recurse/core";
import { locateModel, readRunRecord, type ModelLocation, type RunRecord } from "./run-dir";

/** A trained model ready to evaluate. */
export interface LoadedModel extends ModelLocation {
  reasoner: RecursiveReasoner;
  architecture: string;
  config: Record<string, unknown>;
  /** Metadata of the dataset it was trained on (from the checkpoint). */
  trainMetadata?: PuzzleDatasetMetadata;
  record?: RunRecord;
  step?: number;
}

/**
 * Build the model a run's checkpoint describes and load its weights (core's `loadReasoner`: the EMA copy when the
 * run kept one). An architecture that no loaded plugin provides is reported with the CLI's remedy, `--plugin`.
 */
export async function loadModel(registry: Registry, path: string, cwd: string): Promise<LoadedModel> {
  const where = locateModel(path, cwd);
  const { config: saved } = await loadCheckpoint(where.checkpointDir, { tensors: [] });
  const architecture = (saved as { architecture?: unknown } | null)?.architecture;
  if (typeof architecture === "string" && !registry.architectures.has(architecture)) {
    throw new ConfigError(
      `architecture '${architecture}' is not registered (known: ${registry.architectures.ids().join(", ")}); load its plugin with --plugin`,
      { file: join(where.checkpointDir, "config.json"), field: "architecture" },
    );
  }
  const loaded = await loadReasoner(registry, where.checkpointDir);
  return {
    ...where,
    reasoner: loaded.reasoner,
    architecture: loaded.architecture,
    config: loaded.config,
    trainMetadata: loaded.dataset,
    record: readRunRecord(where.runDir),
    step: loaded.step,
  };
}
