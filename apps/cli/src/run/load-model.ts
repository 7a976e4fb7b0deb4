import { join } from "node:path";
import { assignNamed, CheckpointError, ConfigError, loadCheckpoint, type PuzzleDatasetMetadata, type Registry, type RecursiveReasoner } from "@recurse/core";
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
 * Build the model a run's checkpoint describes and load its weights (the EMA copy when the run kept one, as the
 * reference evaluates). The architecture comes from the registry, so a plugin's architecture needs its plugin
 * loaded (`--plugin`), and the error says so.
 */
export async function loadModel(registry: Registry, path: string, cwd: string): Promise<LoadedModel> {
  const where = locateModel(path, cwd);
  const checkpoint = await loadCheckpoint(where.checkpointDir, { tensors: ["model"] });
  const saved = checkpoint.config as { architecture?: string; config?: Record<string, unknown>; dataset?: PuzzleDatasetMetadata; step?: number };
  const file = join(where.checkpointDir, "config.json");
  if (typeof saved?.architecture !== "string" || typeof saved.config !== "object") {
    throw new CheckpointError("no architecture/config recorded", { file, expected: "a checkpoint written by recurse train" });
  }
  if (!registry.architectures.has(saved.architecture)) {
    throw new ConfigError(
      `architecture '${saved.architecture}' is not registered (known: ${registry.architectures.ids().join(", ")}); load its plugin with --plugin`,
      { file, field: "architecture" },
    );
  }
  const spec = registry.architectures.get(saved.architecture);
  const parsed = spec.schema.safeParse(saved.config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`config no longer valid for architecture '${saved.architecture}': ${issue.message}`, { file, field: `config.${issue.path.join(".")}` });
  }
  const reasoner = spec.create(parsed.data as Record<string, unknown>);
  try {
    const weights = checkpoint.tensors.model;
    const weightsFile = join(where.checkpointDir, "model.safetensors");
    assignNamed(reasoner.parameters(), weights, weightsFile);
    assignNamed(reasoner.buffers(), weights, weightsFile);
  } catch (err) {
    reasoner.dispose();
    throw err;
  }
  return {
    ...where,
    reasoner,
    architecture: saved.architecture,
    config: parsed.data as Record<string, unknown>,
    trainMetadata: saved.dataset,
    record: readRunRecord(where.runDir),
    step: saved.step,
  };
}
