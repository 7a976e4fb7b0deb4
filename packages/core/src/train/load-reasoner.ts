import { join } from "node:path";
import { CheckpointError } from "../errors";
import { loadCheckpoint } from "../formats/checkpoint";
import type { PuzzleDatasetMetadata } from "../formats/puzzle-dataset-types";
import type { RecursiveReasoner } from "../reasoner/types";
import type { Registry } from "../registry/create-registry";
import { describeIssues, issueExpected, issuePath } from "../registry/zod-issues";
import { assignNamed } from "./named-tensors";

/** A reasoner rebuilt from a checkpoint, with what the checkpoint says about it. */
export interface LoadedReasoner {
  /** Built through the registry and holding the checkpoint's `model` weights; the caller disposes it. */
  reasoner: RecursiveReasoner;
  architecture: string;
  /** The saved config, validated again by the architecture's schema. */
  config: Record<string, unknown>;
  /** Optimizer steps the checkpoint was saved after, when recorded. */
  step?: number;
  /** Which weights `model.safetensors` holds: the EMA copy or the raw training weights. */
  weights?: "ema" | "raw";
  /** Metadata of the dataset it was trained on, when recorded. */
  dataset?: PuzzleDatasetMetadata;
  /** The whole `config.json` (with the trainer's `checkpointConfig` extras). */
  checkpointConfig: Record<string, unknown>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Build the reasoner a checkpoint written by {@link Trainer.save} describes and load its `model` weights (the EMA
 * copy when the run kept one, as the reference evaluates). The architecture is looked up by the id saved in
 * `config.json` and created from the saved config, so the registry must hold the plugin that provides it. Only
 * `config.json` and `model.safetensors` are read. Fails with a {@link CheckpointError} naming the file and field
 * when the architecture is not registered, the config no longer validates, or the tensors do not fit the model
 * (missing, extra or misshapen); the half-built model is disposed first.
 *
 * @example
 * ```ts
 * const registry = createRegistry().use(trm).use(hrm);
 * const { reasoner, architecture, step } = await loadReasoner(registry, "runs/trm-sudoku/checkpoint");
 * const out = await evaluate(reasoner, testSplit);
 * reasoner.dispose();
 * ```
 */
export async function loadReasoner(registry: Pick<Registry, "architectures" | "plugins">, checkpointDir: string): Promise<LoadedReasoner> {
  const checkpoint = await loadCheckpoint(checkpointDir, { tensors: ["model"] });
  const file = join(checkpointDir, "config.json");
  const saved = checkpoint.config;
  if (!isRecord(saved) || typeof saved.architecture !== "string") {
    throw new CheckpointError("no architecture recorded", { file, field: "architecture", expected: "an architecture id (a checkpoint written by the Trainer)" });
  }
  const architecture = saved.architecture;
  if (!isRecord(saved.config)) {
    throw new CheckpointError("no model config recorded", { file, field: "config", expected: `the config object of architecture '${architecture}'` });
  }
  const { architectures } = registry;
  if (!architectures.has(architecture)) {
    const known = architectures.ids().map((id) => `${id} (${architectures.pluginOf(id)})`);
    const plugins = registry.plugins.map((p) => p.name);
    throw new CheckpointError(
      `architecture '${architecture}' is not registered; registered: ${known.join(", ") || "none"}; plugins: ${plugins.join(", ") || "none"}`,
      { file, field: "architecture", expected: "the id of an architecture of a plugin in the registry (add the plugin that provides it)" },
    );
  }
  const spec = architectures.get(architecture);
  const parsed = spec.schema.safeParse(saved.config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CheckpointError(`config no longer valid for architecture '${architecture}': ${describeIssues(parsed.error.issues)}`, {
      file,
      field: issuePath(issue.path, "config"),
      expected: issueExpected(issue),
    });
  }
  const config = parsed.data as Record<string, unknown>;

  const stored = checkpoint.tensors.model;
  const weightsFile = join(checkpointDir, "model.safetensors");
  const reasoner = spec.create(config);
  try {
    const params = reasoner.parameters();
    const buffers = reasoner.buffers();
    // Tensors the model lacks mean the checkpoint was made by a different build of the architecture.
    const extra = [...stored.keys()].filter((name) => !params.has(name) && !buffers.has(name));
    if (extra.length > 0) {
      throw new CheckpointError(`${extra.length} tensor(s) the ${architecture} model does not have: ${extra.slice(0, 8).join(", ")}${extra.length > 8 ? ", ..." : ""}`, {
        file: weightsFile,
        field: extra[0],
        expected: `the parameters and buffers of ${architecture} with the saved config`,
      });
    }
    assignNamed(params, stored, weightsFile);
    assignNamed(buffers, stored, weightsFile);
  } catch (err) {
    reasoner.dispose();
    throw err;
  }
  return {
    reasoner,
    architecture,
    config,
    step: typeof saved.step === "number" ? saved.step : undefined,
    weights: saved.weights === "ema" || saved.weights === "raw" ? saved.weights : undefined,
    dataset: isRecord(saved.dataset) ? (saved.dataset as unknown as PuzzleDatasetMetadata) : undefined,
    checkpointConfig: saved,
  };
}
